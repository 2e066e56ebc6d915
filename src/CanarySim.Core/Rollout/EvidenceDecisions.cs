namespace CanarySim.Core.Rollout;

/// <summary>
/// The rules that pick a window's decision from the evidence-log vocabulary, first match wins:
/// kickoff → START_SHADOW_WINDOW; a stalled execution pipeline (v2 was given requests and none of its runs
/// completed) → BLOCKED_EXECUTION_PIPELINE; metrics refused → BLOCKED_AUTH; rolled back (reverted to
/// v1, waiting for a new shadow decision) → HOLD_SHADOW; disturbed but recovered → PARTIAL_TIMEOUT_RECOVERED;
/// shadow → READY_FOR_LIMITED_COHORT_PILOT when its exit criteria held (or it advanced), else HOLD_SHADOW;
/// canary step → READY_FOR_LIMITED_COHORT_PILOT; progressive tier → GO_BROADER_TRAFFIC_ACTIVE.
/// A rollback alone is not a blocked pipeline.
/// </summary>
public static class EvidenceDecisions
{
    /// <summary>The decision for one window.</summary>
    public static string Decide(EvidenceWindowFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Kickoff)
        {
            return EvidenceDecision.StartShadowWindow;
        }
        if (facts.Stalled)
        {
            return EvidenceDecision.BlockedExecutionPipeline;
        }
        if (facts.MetricsBlocked)
        {
            return EvidenceDecision.BlockedAuth;
        }
        if (facts.RolledBack)
        {
            return EvidenceDecision.HoldShadow;
        }
        if (facts.Disturbed)
        {
            return EvidenceDecision.PartialTimeoutRecovered;
        }
        return facts.Stage switch
        {
            StageKind.Shadow => (facts.ExitCriteriaMet || facts.Advanced) && facts.TrafficBearing
                ? EvidenceDecision.ReadyForLimitedCohortPilot
                : EvidenceDecision.HoldShadow,
            StageKind.Canary => EvidenceDecision.ReadyForLimitedCohortPilot,
            _ => EvidenceDecision.GoBroaderTrafficActive,
        };
    }
}
