namespace CanarySim.Service.Api;

/// <summary><c>PUT /guard/config</c> answer: the settings now and the history entries recorded (empty when nothing differed).</summary>
/// <param name="Settings">Settings after the change.</param>
/// <param name="Changes">Recorded changes (a re-enable and/or a config change).</param>
public sealed record ConfigResponse(SettingsView Settings, IReadOnlyList<ChangeView> Changes);
