namespace CanarySim.Core.Rollout;

/// <summary>One thing the stage machine decided at an evaluation.</summary>
/// <param name="Kind">What it did.</param>
/// <param name="At">When (virtual time).</param>
/// <param name="StageIndex">The stage it applies to (for <see cref="StageStepKind.Advance"/>: the stage entered).</param>
/// <param name="FromPercent">Traffic on v2 before.</param>
/// <param name="ToPercent">Traffic on v2 after (the target the caller must apply for an advance).</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Gate">For gate steps: the outcome.</param>
public sealed record StageStep(
    StageStepKind Kind,
    DateTimeOffset At,
    int StageIndex,
    double FromPercent,
    double ToPercent,
    string Reason,
    GateOutcome? Gate = null);
