namespace CanarySim.Core.Rollout;

/// <summary>
/// The v2 (candidate) figures a stage's exit criteria are judged on, taken from the detector's
/// latest evaluation plus the rollout's own counters. Null means "not measured yet".
/// </summary>
public sealed record RolloutMetrics
{
    /// <summary>Metric names exit criteria may use.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "error_rate", "p50_latency_ms", "p95_latency_ms", "p99_latency_ms", "quality", "quality_drop",
        "cost_cents", "fallback_rate", "policy_violations", "complaints", "divergence", "rollbacks", "samples",
    ];

    /// <summary>v2 error rate (0–1).</summary>
    public double? ErrorRate { get; init; }
    /// <summary>v2 p50 latency (ms).</summary>
    public double? P50LatencyMs { get; init; }
    /// <summary>v2 p95 latency (ms).</summary>
    public double? P95LatencyMs { get; init; }
    /// <summary>v2 p99 latency (ms).</summary>
    public double? P99LatencyMs { get; init; }
    /// <summary>v2 mean quality (0–100).</summary>
    public double? Quality { get; init; }
    /// <summary>v1 − v2 mean quality.</summary>
    public double? QualityDrop { get; init; }
    /// <summary>v2 mean cost (cents per run).</summary>
    public double? CostCents { get; init; }
    /// <summary>v2 fallback rate (0–1).</summary>
    public double? FallbackRate { get; init; }
    /// <summary>v2 policy violations in the window.</summary>
    public double? PolicyViolations { get; init; }
    /// <summary>Complaints in the last hour.</summary>
    public double? Complaints { get; init; }
    /// <summary>Share of compared decisions where v1 and v2 differ (0–1).</summary>
    public double? Divergence { get; init; }
    /// <summary>Rollbacks (automatic or staged reductions) since the stage began.</summary>
    public double Rollbacks { get; init; }
    /// <summary>v2 samples in the detector window.</summary>
    public double Samples { get; init; }

    /// <summary>The value of a named metric (null when unknown or not measured).</summary>
    public double? Get(string name) => name switch
    {
        "error_rate" => ErrorRate,
        "p50_latency_ms" => P50LatencyMs,
        "p95_latency_ms" => P95LatencyMs,
        "p99_latency_ms" => P99LatencyMs,
        "quality" => Quality,
        "quality_drop" => QualityDrop,
        "cost_cents" => CostCents,
        "fallback_rate" => FallbackRate,
        "policy_violations" => PolicyViolations,
        "complaints" => Complaints,
        "divergence" => Divergence,
        "rollbacks" => Rollbacks,
        "samples" => Samples,
        _ => null,
    };
}
