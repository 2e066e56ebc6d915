using System.Globalization;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Prometheus.Tests.Infrastructure;

namespace CanarySim.Prometheus.Tests.Histograms;

/// <summary>
/// How a p95 from <c>histogram_quantile</c> (a real Prometheus over the guard's <c>canarysim_request_duration_seconds</c>
/// buckets) differs from the detector's nearest-rank p95 of the same samples.
/// <para>
/// Nearest rank returns an observed latency: the ⌈0.95·n⌉-th smallest. <c>histogram_quantile</c> only knows how many
/// runs fell under each bucket bound; it finds the bucket holding rank 0.95·n and interpolates linearly inside it:
/// <c>lower + (upper − lower) · (rank − count below) / (count in bucket)</c>. So the value is a point between two bounds,
/// not a latency that happened. With a bound exactly on the threshold T both agree on the question a check asks,
/// "p95 &gt; T?": each is true exactly when fewer than 95 % of the runs took ≤ T. With coarse buckets that agreement is
/// lost: a single slow run can move the interpolated p95 across a threshold the real p95 is well under.
/// </para>
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HistogramQuantileTests
{
    private const double ThresholdSeconds = 1.6;
    private GuardServer _guard = null!;
    private PrometheusServer _prometheus = null!;

    // 20 runs each: 18 at 1 s and two near the 1.6 s threshold.
    private static readonly Dictionary<string, double[]> Cases = new()
    {
        ["over"] = [.. Enumerable.Repeat(1000.0, 18), 1610, 1690],
        ["under"] = [.. Enumerable.Repeat(1000.0, 18), 1550, 3000],
    };

    [OneTimeSetUp]
    public async Task StartGuardAndPrometheus()
    {
        _guard = await GuardServer.StartAsync();
        _prometheus = await PrometheusServer.StartAsync(_guard.Target);
        var json = string.Join(",", Cases.SelectMany(c => c.Value.Select(ms =>
            $$"""{"engine":"v2","latency_ms":{{ms.ToString(CultureInfo.InvariantCulture)}},"quality":90,"cost_cents":1,"agent":"{{c.Key}}"}""")));
        await _guard.PostSamplesAsync($"[{json}]");
        await _prometheus.WaitForAsync("sum(canarysim_requests_total{engine=\"v2\"})", v => v == 40, "the 40 posted runs");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _prometheus.DisposeAsync();
        await _guard.DisposeAsync();
    }

    private static double NearestRankP95Seconds(string agent) =>
        WindowAggregates.Compute(Cases[agent].Select(ms => new Sample { Engine = Engine.V2, At = DateTimeOffset.UnixEpoch, LatencyMs = ms })).P95LatencyMs!.Value / 1000;

    // Cumulative bucket counts since the guard started: exactly the posted runs (no rate() window to extrapolate). The latest
    // scraped count of each bucket (last_over_time): a scrape that missed its 1 s timeout on a loaded machine marks every
    // series stale, and a bare selector queried right after it would find no series at all.
    private Task<double?> HistogramP95Async(string agent, string? onlyBounds = null) => _prometheus.ValueAsync(
        $"histogram_quantile(0.95, sum by (le) (last_over_time(canarysim_request_duration_seconds_bucket{{engine=\"v2\",agent=\"{agent}\"{onlyBounds}}}[5m])))");

    [Test]
    public async Task Over_the_threshold_the_histogram_interpolates_where_nearest_rank_picks_a_run_and_both_breach()
    {
        var nearestRank = NearestRankP95Seconds("over");
        var histogram = await HistogramP95Async("over");

        // Nearest rank: the 19th of 20 runs, 1610 ms. Histogram: rank 19 lies in (1.6, 1.7] holding two runs above 18.
        Assert.That(nearestRank, Is.EqualTo(1.61));
        Assert.That(histogram, Is.EqualTo(1.6 + 0.1 * (19 - 18) / 2.0).Within(1e-9));
        Assert.That(nearestRank > ThresholdSeconds, Is.True);
        Assert.That(histogram > ThresholdSeconds, Is.True);
    }

    [Test]
    public async Task Under_the_threshold_both_stay_at_or_under_it_because_a_bound_sits_on_it()
    {
        var nearestRank = NearestRankP95Seconds("under");
        var histogram = await HistogramP95Async("under");

        // Nearest rank: 1550 ms. Histogram: 19 runs are ≤ 1.6 s, so rank 19 ends exactly at the 1.6 bound: not over it.
        Assert.That(nearestRank, Is.EqualTo(1.55));
        Assert.That(histogram, Is.EqualTo(1.5 + 0.1 * (19 - 18) / 1.0).Within(1e-9));
        Assert.That(nearestRank > ThresholdSeconds, Is.False);
        Assert.That(histogram > ThresholdSeconds, Is.False);
    }

    [Test]
    public async Task With_coarse_buckets_one_slow_run_invents_a_breach_the_real_p95_does_not_have()
    {
        // The same runs seen through the bounds 0.5, 1, 2.5, 5 only (a common default layout): rank 19 lies in (1, 2.5],
        // which holds the single 1550 ms run, so the interpolated p95 is its upper bound, 2.5 s, over 1.6 s.
        const string coarse = ",le=~\"0[.]5|1|1[.]0|2[.]5|5|5[.]0|[+]Inf\"";
        var histogram = await HistogramP95Async("under", coarse);

        Assert.That(histogram, Is.EqualTo(2.5).Within(1e-9));
        Assert.That(histogram > ThresholdSeconds, Is.True);
        Assert.That(NearestRankP95Seconds("under") > ThresholdSeconds, Is.False);
    }
}
