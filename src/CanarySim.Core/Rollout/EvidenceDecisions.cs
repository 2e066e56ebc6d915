namespace CanarySim.Core.Rollout;

/// <summary>
/// The rules that pick a window's decision from the seed-002 vocabulary, first match wins:
/// kickoff → START_SHADOW_WINDOW; rolled back → BLOCKED_EXECUTION_PIPELINE; metrics refused →
/// BLOCKED_AUTH; disturbed but recovered → PARTIAL_TIMEOUT_RECOVERED; shadow → READY_FOR_LIMITED_COHORT_PILOT
/// when its exit criteria held (or it advanced), else HOLD_SHADOW; canary step →
/// READY_FOR_LIMITED_COHORT_PILOT; progressive tier → GO_BROADER_TRAFFIC_ACTIVE.
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
        if (facts.RolledBack)
        {
            return EvidenceDecision.BlockedExecutionPipeline;
        }
        if (facts.MetricsBlocked)
        {
            return EvidenceDecision.BlockedAuth;
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
