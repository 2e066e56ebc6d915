using CanarySim.Core.Rollout;

namespace CanarySim.Core.Tests.Rollout;

// Every evidence p95 is read from the histogram; this holds it to its documented bound against the exact nearest rank.
public sealed class LatencyHistogramTests
{
    private const double Bound = 0.00502; // e^0.005 - 1, rounded up

    [TestCase(1, 50)]
    [TestCase(2, 95)]
    [TestCase(3, 99)]
    [TestCase(4, 95)]
    public void Percentiles_are_within_half_a_percent_of_the_exact_nearest_rank(int seed, int percent)
    {
        var random = new Random(seed);
        var histogram = new LatencyHistogram();
        var values = new List<double>();
        var n = 1 + random.Next(20_000);
        for (var i = 0; i < n; i++)
        {
            // Log-normal around 600 ms with a long tail, plus the odd sub-millisecond and very slow run.
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            var ms = i % 997 == 0 ? 0.1 + random.NextDouble() : i % 991 == 0 ? 1e6 * (1 + random.NextDouble()) : 600 * Math.Exp(0.6 * z);
            values.Add(ms);
            histogram.Add(ms);
        }
        values.Sort();
        var exact = values[WindowAggregates.NearestRank(percent, values.Count) - 1];

        var approx = histogram.Percentile(percent);

        Assert.That(approx, Is.Not.Null);
        Assert.That(Math.Abs(approx!.Value / exact - 1), Is.LessThanOrEqualTo(Bound), $"p{percent} of {n}: {approx} vs exact {exact}");
    }

    [Test]
    public void A_single_value_is_reported_within_the_bound_and_an_empty_window_has_none()
    {
        var histogram = new LatencyHistogram();
        Assert.That(histogram.Percentile(95), Is.Null);
        histogram.Add(1234.5);
        Assert.That(Math.Abs(histogram.Percentile(95)!.Value / 1234.5 - 1), Is.LessThanOrEqualTo(Bound));
    }

    // High percentiles are found walking down from the highest filled bin: every rank must land in the bin of the
    // exact nearest-rank value, alone, for two histograms read together, and after one was subtracted from a merge.
    [TestCase(5)]
    [TestCase(6)]
    public void Every_percentile_lands_in_the_bin_of_the_exact_nearest_rank_value(int seed)
    {
        var random = new Random(seed);
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var values = new List<double>();
        var n = 50 + random.Next(3_000);
        for (var i = 0; i < n; i++)
        {
            var ms = i % 101 == 0 ? 20_000 * random.NextDouble() : 300 + 900 * random.NextDouble();
            values.Add(ms);
            (i % 3 == 0 ? b : a).Add(ms);
        }
        var merged = new LatencyHistogram();
        merged.Merge(a);
        merged.Merge(b);
        var extra = new LatencyHistogram();
        extra.Add(90_000); // raises the merge's highest bin, then leaves: the walk must skip the emptied bins
        merged.Merge(extra);
        merged.Subtract(extra);
        values.Sort();

        for (var percent = 1; percent <= 99; percent++)
        {
            var exact = values[WindowAggregates.NearestRank(percent, values.Count) - 1];
            var bin = new LatencyHistogram();
            bin.Add(exact);
            var expected = bin.Percentile(50);
            Assert.That(LatencyHistogram.Percentile(percent, a, b), Is.EqualTo(expected), $"p{percent} of a and b");
            Assert.That(merged.Percentile(percent), Is.EqualTo(expected), $"p{percent} of the merge");
        }
    }
}
