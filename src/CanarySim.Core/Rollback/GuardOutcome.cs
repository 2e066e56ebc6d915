using CanarySim.Core.Detection;

namespace CanarySim.Core.Rollback;

/// <summary>What one <see cref="CanaryGuard.EvaluateAndAct"/> saw and did.</summary>
/// <param name="Measurement">The measurement taken (its verdict, or the metric-source error).</param>
/// <param name="RunPhase">The analysis run's phase after it.</param>
/// <param name="Action">The action actually taken: the verdict's, or <c>hold</c> while a failure is within the failure limit, or <c>rollback</c> once errors exceed the consecutive-error limit.</param>
/// <param name="Breaches">The breaches acted on (for an error run: a <c>metric_source</c> breach).</param>
/// <param name="Change">The settings change made, if any.</param>
public sealed record GuardOutcome(Measurement Measurement, AnalysisPhase RunPhase, VerdictAction Action, IReadOnlyList<Breach> Breaches, SettingsChange? Change)
{
    /// <summary>The verdict, unless the metric source failed.</summary>
    public Verdict? Verdict => Measurement.Verdict;
}
