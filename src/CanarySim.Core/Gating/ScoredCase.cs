namespace CanarySim.Core.Gating;

/// <summary>A winning first-run result and the input it came from.</summary>
/// <param name="Case">The case result.</param>
/// <param name="Source">Name of the input artifact.</param>
public sealed record ScoredCase(UatCase Case, string Source);
