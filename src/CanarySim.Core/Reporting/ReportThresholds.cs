namespace CanarySim.Core.Reporting;

/// <summary>The detector thresholds drawn on the report's charts (taken from the policy in force).</summary>
public sealed record ReportThresholds
{
    /// <summary>v2 p95 latency limit (ms).</summary>
    public double? LatencyP95Ms { get; init; }
    /// <summary>Sustained p95 limit (ms), e.g. 5000.</summary>
    public double? LatencySustainedMs { get; init; }
    /// <summary>Maximum quality drop v1 − v2 (points).</summary>
    public double? QualityDrop { get; init; }
    /// <summary>v2 mean cost limit (cents).</summary>
    public double? CostCents { get; init; }
    /// <summary>Error rate limit (0–1).</summary>
    public double? ErrorRate { get; init; }
    /// <summary>Fallback rate limit (0–1).</summary>
    public double? FallbackRate { get; init; }
}
