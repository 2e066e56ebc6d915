namespace CanarySim.Harness.Simulation;

/// <summary>What an injected fault changes.</summary>
public enum FaultKind
{
    /// <summary>Latency drift: multiply (<c>+40%</c>, <c>*1.4</c>) or add (<c>+800ms</c>).</summary>
    Latency,
    /// <summary>Error burst: this share of runs fail (v2 failures fall back to v1).</summary>
    Errors,
    /// <summary>Timeouts: this share of runs time out (v2 timeouts fall back to v1).</summary>
    Timeouts,
    /// <summary>Cost spike: multiply (<c>x4</c>, <c>+200%</c>) or add cents.</summary>
    Cost,
    /// <summary>Quality drop in points (<c>-10</c>).</summary>
    Quality,
    /// <summary>Policy / security violations: this share of runs (bare: the next run violates).</summary>
    PolicyViolations,
    /// <summary>Fallback storm: this share of v2 answers have an invalid shape, so v1 serves.</summary>
    Fallbacks,
    /// <summary>Complaint burst: this many complaints per hour.</summary>
    Complaints,
    /// <summary>The metrics source refuses authentication (401): evaluations are error measurements.</summary>
    MetricsAuth,
    /// <summary>
    /// An application metric the runs report (<c>llm_call</c>, <c>anomaly</c>, <c>staff_response_ms</c>, <c>tokens</c>, …):
    /// true on a share of the runs (<c>=35%</c>), a value on every run (<c>=4500</c>), the usual value scaled or shifted
    /// (<c>+25%</c>, <c>*2</c>, <c>+300</c>), or true on one run (bare); optionally for one agent's runs only.
    /// </summary>
    Metric,
    /// <summary>A stalled execution pipeline: v2 runs never complete (v1 answers; no v2 run reaches the metrics).</summary>
    Stall,
}
