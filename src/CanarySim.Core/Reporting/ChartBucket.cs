namespace CanarySim.Core.Reporting;

/// <summary>One time bucket of the simulation report's charts. Metric values are the detector's aggregates at the bucket's last evaluation (null = none).</summary>
public sealed record ChartBucket
{
    /// <summary>End of the bucket (virtual time).</summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>Requests in the bucket.</summary>
    public long Requests { get; init; }
    /// <summary>Requests served by v2 in the bucket.</summary>
    public long V2Served { get; init; }
    /// <summary>Router canary percentage at the end of the bucket.</summary>
    public double CanaryPercent { get; init; }
    /// <summary>v1 p95 latency (ms).</summary>
    public double? V1P95 { get; init; }
    /// <summary>v2 p95 latency (ms).</summary>
    public double? V2P95 { get; init; }
    /// <summary>v1 mean quality.</summary>
    public double? V1Quality { get; init; }
    /// <summary>v2 mean quality.</summary>
    public double? V2Quality { get; init; }
    /// <summary>v1 error rate (0–1).</summary>
    public double? V1ErrorRate { get; init; }
    /// <summary>v2 error rate (0–1).</summary>
    public double? V2ErrorRate { get; init; }
    /// <summary>v1 mean cost (cents).</summary>
    public double? V1Cost { get; init; }
    /// <summary>v2 mean cost (cents).</summary>
    public double? V2Cost { get; init; }
    /// <summary>v2 fallback rate in the bucket (0–1).</summary>
    public double? V2FallbackRate { get; init; }
}
