namespace CanarySim.Core.Rollout;

/// <summary>A plan read from a file, with the line of every field (path → line) for later messages.</summary>
/// <param name="Plan">The validated plan.</param>
/// <param name="Lines">Field path (e.g. <c>stages[2].percent</c>) → 1-based line.</param>
public sealed record LoadedPlan(RolloutPlan Plan, IReadOnlyDictionary<string, int> Lines);
