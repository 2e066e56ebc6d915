using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;

namespace CanarySim.Core.Tests.Rollout;

public sealed class PeriodStatsTests
{
    private static readonly DateTimeOffset Origin = new(2025, 10, 6, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Exit criteria read latency percentiles over a period every evaluation; the stats slide a cached
    /// histogram forward instead of merging every hour again. Asked repeatedly as time passes (with a
    /// stage reset in the middle), it must answer what a fresh instance fed the same runs answers.
    /// </summary>
    [Test]
    public void Sliding_period_percentiles_equal_a_fresh_computation()
    {
        var rng = new Random(5);
        var live = new PeriodStats(Origin);
        var runs = new List<(DateTimeOffset At, int Bin)>();
        var now = Origin;
        var checkedCount = 0;
        for (var minute = 0; minute < 60 * 24 * 4; minute += 7)
        {
            now = Origin.AddMinutes(minute);
            if (minute == 60 * 24 * 2 + 7 * 30)
            {
                live.Reset(); // a promotion starts the stage's period afresh
                runs.Clear();
            }
            for (var i = rng.Next(0, 4); i > 0; i--)
            {
                var bin = LatencyHistogram.BinOf(rng.Next(100, 3000));
                live.AddV2(now, bin, 90, 1, false, false, false, false);
                runs.Add((now, bin));
            }
            foreach (var (metric, hours) in new[] { ("p95_latency_ms", 2), ("p95_latency_ms", 48), ("p50_latency_ms", 7), ("p99_latency_ms", 48) })
            {
                var fresh = new PeriodStats(Origin);
                foreach (var (at, bin) in runs)
                {
                    fresh.AddV2(at, bin, 90, 1, false, false, false, false);
                }
                var period = TimeSpan.FromHours(hours);
                Assert.That(live.Get(metric, period, now), Is.EqualTo(fresh.Get(metric, period, now)), $"{metric} over {hours}h at {now:u}");
                checkedCount++;
            }
        }
        Assert.That(checkedCount, Is.GreaterThan(3000));
    }
}
