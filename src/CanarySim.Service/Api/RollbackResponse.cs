namespace CanarySim.Service.Api;

/// <summary><c>POST /guard/rollback</c> answer.</summary>
/// <param name="Settings">Settings after the rollback (kill switch on, 0 %).</param>
/// <param name="Change">The recorded history entry.</param>
public sealed record RollbackResponse(SettingsView Settings, ChangeView Change);
