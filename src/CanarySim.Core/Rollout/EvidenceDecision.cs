namespace CanarySim.Core.Rollout;

/// <summary>The decision vocabulary of the evidence log.</summary>
public static class EvidenceDecision
{
    /// <summary>Kickoff: instrumentation ready, the first shadow window starts next.</summary>
    public const string StartShadowWindow = "START_SHADOW_WINDOW";
    /// <summary>Shadow continues: not enough clean traffic yet to promote.</summary>
    public const string HoldShadow = "HOLD_SHADOW";
    /// <summary>Clean window: fine for a limited cohort (shadow exit met, or a small canary step healthy).</summary>
    public const string ReadyForLimitedCohortPilot = "READY_FOR_LIMITED_COHORT_PILOT";
    /// <summary>Broader traffic (a progressive tier) active and healthy.</summary>
    public const string GoBroaderTrafficActive = "GO_BROADER_TRAFFIC_ACTIVE";
    /// <summary>Metrics could not be captured: the metrics source refused authentication.</summary>
    public const string BlockedAuth = "BLOCKED_AUTH";
    /// <summary>Execution blocked: the candidate was rolled back (kill switch on) or cannot serve.</summary>
    public const string BlockedExecutionPipeline = "BLOCKED_EXECUTION_PIPELINE";
    /// <summary>Timeouts, errors or fallbacks hit the candidate in the window, but v1 covered and no rollback followed.</summary>
    public const string PartialTimeoutRecovered = "PARTIAL_TIMEOUT_RECOVERED";

    /// <summary>Every decision, in the seed's order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        StartShadowWindow, HoldShadow, ReadyForLimitedCohortPilot, GoBroaderTrafficActive,
        BlockedAuth, BlockedExecutionPipeline, PartialTimeoutRecovered,
    ];
}
