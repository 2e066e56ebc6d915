namespace CanarySim.Core.Judging;

/// <summary>One scoring group: the share of its metrics that passed, and its weight.</summary>
/// <param name="Group">Group name.</param>
/// <param name="Score">Percentage (0–100) of the group's metrics that did not fail.</param>
/// <param name="Weight">Weight of the group in the final score (percent).</param>
/// <param name="Metrics">Metrics counted in the group (Nodata metrics are not counted).</param>
public sealed record GroupScore(string Group, double Score, double Weight, int Metrics);
