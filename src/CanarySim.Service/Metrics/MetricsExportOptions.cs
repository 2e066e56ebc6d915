using System.ComponentModel.DataAnnotations;

namespace CanarySim.Service.Metrics;

/// <summary>Every default of what the guard service exports at <c>/metrics</c>, in one place.</summary>
public sealed class MetricsExportOptions
{
    /// <summary>
    /// Upper bounds (seconds) of the <c>canarysim_request_duration_seconds</c> histogram buckets. A bound sits exactly on
    /// each latency threshold of the default policy (1.6 s p95, 3 s p95 SLO, 5 s sustained p95), so
    /// <c>histogram_quantile(…) &gt; threshold</c> decides exactly as the nearest-rank percentile does; the bounds close beside
    /// each threshold keep the interpolated value near the true one. The default value is 0.05 … 30 s (27 bounds; see the code).
    /// </summary>
    [MinLength(1)]
    public IReadOnlyList<double> LatencyBucketsSeconds { get; init; } =
    [
        0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.4, 1.5, 1.6, 1.7, 1.8, 2.0, 2.5, 2.8, 3.0, 3.2, 3.5, 4.0, 4.5, 4.8, 5.0, 5.2, 6.0, 7.5, 10, 30,
    ];
}
