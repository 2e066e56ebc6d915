using CanarySim.Core.Detection;
using CanarySim.Core.Reporting;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Simulation;

/// <summary>The report's chart series: one bucket per stretch of intervals, with the last verdict's figures.</summary>
internal sealed class ChartRecorder
{
    private IntervalCounts _bucket;

    public List<ChartBucket> Series { get; } = [];

    public void Add(in IntervalCounts counts) => _bucket.Add(counts);

    public void Flush(DateTimeOffset now, Verdict? v, RouterSettings s)
    {
        var b = _bucket;
        var live = b.V2Runs > 0; // v2's window is stale once it gets no traffic (after a rollback): draw nothing
        Series.Add(new ChartBucket
        {
            At = now,
            Requests = b.Served,
            V2Served = b.V2Served,
            CanaryPercent = s.KillSwitch ? 0 : s.Mode == RouterMode.Shadow ? 0 : s.CanaryPct,
            V1P95 = v?.V1.P95LatencyMs,
            V2P95 = live ? v?.V2.P95LatencyMs : null,
            V1Quality = v?.V1.MeanQuality,
            V2Quality = live ? v?.V2.MeanQuality : null,
            V1ErrorRate = v is { V1.Count: > 0 } ? v.V1.ErrorRate : null,
            V2ErrorRate = live && v is { V2.Count: > 0 } ? v.V2.ErrorRate : null,
            V1Cost = v?.V1.MeanCostCents,
            V2Cost = live ? v?.V2.MeanCostCents : null,
            V2FallbackRate = b.V2Runs == 0 ? null : (double)b.V2Fallbacks / b.V2Runs,
        });
        _bucket = default;
    }
}
