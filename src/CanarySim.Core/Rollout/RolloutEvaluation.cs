using CanarySim.Core.Rollback;

namespace CanarySim.Core.Rollout;

/// <summary>One <see cref="RolloutDriver.Evaluate"/>: what the guard saw and did, and what the stage machine decided.</summary>
/// <param name="Outcome">The guard's outcome.</param>
/// <param name="Steps">The machine's steps, already acted on.</param>
public sealed record RolloutEvaluation(GuardOutcome Outcome, IReadOnlyList<StageStep> Steps);
