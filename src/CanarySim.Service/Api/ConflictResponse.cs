namespace CanarySim.Service.Api;

/// <summary>409 answer of a settings change based on a version that is no longer stored.</summary>
/// <param name="Error"><c>conflict</c>.</param>
/// <param name="Reason">Which version the change expected and which is stored.</param>
/// <param name="Current">The settings stored now, with their version: re-read, decide again, retry.</param>
public sealed record ConflictResponse(string Error, string Reason, SettingsView Current);
