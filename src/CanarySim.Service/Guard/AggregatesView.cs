using CanarySim.Core.Detection;

namespace CanarySim.Service.Guard;

/// <summary>One engine's window aggregates as the API shows them (null where the window is empty). Percentiles are nearest rank.</summary>
/// <param name="Count">Runs in the window.</param>
/// <param name="MeanQuality">Mean quality 0–100.</param>
/// <param name="P50LatencyMs">Median latency.</param>
/// <param name="P95LatencyMs">95th percentile latency.</param>
/// <param name="P99LatencyMs">99th percentile latency.</param>
/// <param name="MeanCostCents">Mean cost per run.</param>
/// <param name="ErrorRate">Errors / runs (0–1).</param>
/// <param name="FallbackRate">Fallbacks / runs over the window (0–1).</param>
/// <param name="FallbackRateRolling">Fallbacks / runs over the fallback check's rolling run window (0–1).</param>
/// <param name="PolicyViolations">Runs with a policy violation.</param>
/// <param name="Complaints">Runs with a complaint.</param>
public sealed record AggregatesView(
    int Count, double? MeanQuality, double? P50LatencyMs, double? P95LatencyMs, double? P99LatencyMs, double? MeanCostCents,
    double ErrorRate, double FallbackRate, double? FallbackRateRolling, int PolicyViolations, int Complaints)
{
    /// <summary>Maps detector aggregates.</summary>
    public static AggregatesView From(WindowAggregates a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new AggregatesView(a.Count, a.MeanQuality, a.P50LatencyMs, a.P95LatencyMs, a.P99LatencyMs, a.MeanCostCents,
            a.ErrorRate, a.FallbackRate, a.FallbackRateRolling, a.PolicyViolations, a.Complaints);
    }
}
