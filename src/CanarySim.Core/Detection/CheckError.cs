namespace CanarySim.Core.Detection;

/// <summary>A check whose metric source failed in one evaluation: an error measurement, never a pass.</summary>
/// <param name="Check">The check's name.</param>
/// <param name="Message">What went wrong.</param>
public sealed record CheckError(string Check, string Message);
