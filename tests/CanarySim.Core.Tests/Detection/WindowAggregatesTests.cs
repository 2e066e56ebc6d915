namespace CanarySim.Core.Tests.Detection;

public sealed class WindowAggregatesTests
{
    private static Sample At(double latency, double quality = 90, double cost = 1) =>
        new() { Engine = Engine.V2, At = TestClock.Epoch, LatencyMs = latency, Quality = quality, CostCents = cost };

    [Test]
    public void Nearest_rank_matches_the_textbook_example()
    {
        // Nearest-rank method, worked example over {15, 20, 35, 40, 50}: the 30th percentile is 20
        // (rank ceil(0.3*5)=2), 40th is 20, 50th is 35 (rank 3), 100th is 50, and the 5th is 15 (rank 1).
        double[] sorted = [15, 20, 35, 40, 50];
        Assert.Multiple(() =>
        {
            Assert.That(sorted[WindowAggregates.NearestRank(5, 5) - 1], Is.EqualTo(15));
            Assert.That(sorted[WindowAggregates.NearestRank(30, 5) - 1], Is.EqualTo(20));
            Assert.That(sorted[WindowAggregates.NearestRank(40, 5) - 1], Is.EqualTo(20));
            Assert.That(sorted[WindowAggregates.NearestRank(50, 5) - 1], Is.EqualTo(35));
            Assert.That(sorted[WindowAggregates.NearestRank(100, 5) - 1], Is.EqualTo(50));
        });
        var a = WindowAggregates.Compute(new[] { 50.0, 15, 40, 35, 20 }.Select(l => At(l)));
        Assert.That((a.P50LatencyMs, a.P95LatencyMs, a.P99LatencyMs), Is.EqualTo((35.0, 50.0, 50.0)));
    }

    [Test]
    public void Percentiles_of_one_to_a_hundred_are_the_values_at_those_ranks()
    {
        var a = WindowAggregates.Compute(Enumerable.Range(1, 100).Reverse().Select(i => At(i)));
        Assert.That((a.P50LatencyMs, a.P95LatencyMs, a.P99LatencyMs), Is.EqualTo((50.0, 95.0, 99.0)));
        Assert.That(WindowAggregates.NearestRank(7, 100), Is.EqualTo(7), "0.07*100 in floating point is 7.000000000000001; the rank must still be 7");
    }

    [Test]
    public void Rates_means_and_counts_are_computed_over_the_window()
    {
        var samples = new[]
        {
            At(100, 90, 1.1) with { Error = true, Complaint = true },
            At(200, 80, 2.2) with { Fallback = true, PolicyViolation = true },
            At(300, 70, 3.3),
            At(400, 60, 4.4) with { Error = true },
        };
        var a = WindowAggregates.Compute(samples);
        Assert.Multiple(() =>
        {
            Assert.That(a.Count, Is.EqualTo(4));
            Assert.That(a.MeanQuality, Is.EqualTo(75));
            Assert.That(a.MeanCostCents, Is.EqualTo(2.75));
            Assert.That(a.ErrorRate, Is.EqualTo(0.5));
            Assert.That(a.FallbackRate, Is.EqualTo(0.25));
            Assert.That(a.PolicyViolations, Is.EqualTo(1));
            Assert.That(a.Complaints, Is.EqualTo(1));
        });
    }

    [Test]
    public void Empty_window_has_no_means_or_percentiles()
    {
        var a = WindowAggregates.Compute([]);
        Assert.That(a.Count, Is.Zero);
        Assert.That(a.MeanQuality, Is.Null);
        Assert.That(a.P95LatencyMs, Is.Null);
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public bool Order_statistic_tree_select_equals_sort_based_nearest_rank(int[] adds, int[] removes) =>
        SelectEqualsSortedReference(new OrderStatisticTree(), adds, removes);

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public bool Sorted_latencies_select_equals_sort_based_nearest_rank(int[] adds, int[] removes) =>
        SelectEqualsSortedReference(new SortedLatencies(4), adds, removes);

    /// <summary>Adds then removes values (many duplicates) in an index and in a list; every rank must agree with the sorted list.</summary>
    private static bool SelectEqualsSortedReference(ILatencyIndex index, int[] adds, int[] removes)
    {
        var reference = new List<double>();
        foreach (var a in adds)
        {
            var v = Math.Abs(a % 50) * 1.5;
            index.Add(v);
            reference.Add(v);
        }
        foreach (var r in removes)
        {
            var v = Math.Abs(r % 50) * 1.5;
            if (index.Remove(v) != reference.Remove(v))
            {
                return false;
            }
        }
        reference.Sort();
        return index.Count == reference.Count && Enumerable.Range(1, reference.Count).All(k => index.Select(k) == reference[k - 1]);
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public bool Streaming_count_window_equals_compute_over_the_last_runs(byte sizeSeed, int[] values)
    {
        var size = sizeSeed % 40 + 1;
        var window = new StreamingWindow(WindowSpec.LastRuns(size));
        var all = new List<Sample>();
        foreach (var value in values)
        {
            var v = Math.Abs(value % 100_000);
            var flags = v % 16;
            var s = At(v % 5000, v % 1001 / 10.0, v % 3000 / 1000.0) with
            {
                Error = (flags & 1) != 0, Fallback = (flags & 2) != 0, PolicyViolation = (flags & 4) != 0, Complaint = (flags & 8) != 0,
            };
            window.Add(s);
            all.Add(s);
            var expected = WindowAggregates.Compute(all.Skip(Math.Max(0, all.Count - size)));
            if (window.Aggregates(TestClock.Epoch) != expected)
            {
                return false;
            }
        }
        return true;
    }

    [Test]
    public void Streaming_time_window_drops_samples_at_or_before_now_minus_duration()
    {
        var window = new StreamingWindow(WindowSpec.LastDuration(TimeSpan.FromMinutes(5)));
        window.Add(At(100) with { At = TestClock.Epoch });
        window.Add(At(200) with { At = TestClock.Epoch.AddMinutes(1) });
        window.Add(At(300) with { At = TestClock.Epoch.AddMinutes(2) });
        Assert.That(window.Aggregates(TestClock.Epoch.AddMinutes(5)).Count, Is.EqualTo(2));
        Assert.That(window.Aggregates(TestClock.Epoch.AddMinutes(6)).P50LatencyMs, Is.EqualTo(300));
        Assert.That(window.Aggregates(TestClock.Epoch.AddMinutes(10)), Is.EqualTo(WindowAggregates.Empty));
    }

    [Test]
    public void A_run_window_larger_than_the_sorted_array_limit_stays_exact_on_the_tree()
    {
        var size = SortedLatencies.MaxWindow + 904;
        var window = new StreamingWindow(WindowSpec.LastRuns(size));
        var all = new List<Sample>();
        var rng = new Random(11);
        for (var i = 0; i < size + 2_000; i++)
        {
            var s = At(rng.Next(0, 3000) / 10.0, rng.Next(0, 1001) / 10.0, rng.Next(0, 300) / 100.0) with { Error = rng.Next(10) == 0 };
            window.Add(s);
            all.Add(s);
            if (i % 1_999 == 0 || i == size + 1_999)
            {
                Assert.That(window.Aggregates(TestClock.Epoch), Is.EqualTo(WindowAggregates.Compute(all.Skip(Math.Max(0, all.Count - size)))), $"after {i + 1} samples");
            }
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public bool A_counts_only_window_has_the_counts_of_compute_and_no_distribution(byte sizeSeed, int[] values)
    {
        var size = sizeSeed % 40 + 1;
        var window = new StreamingWindow(WindowSpec.LastRuns(size), countsOnly: true);
        var all = new List<Sample>();
        foreach (var value in values)
        {
            var v = Math.Abs(value % 100_000);
            var flags = v % 16;
            var s = At(v % 5000) with { Error = (flags & 1) != 0, Fallback = (flags & 2) != 0, PolicyViolation = (flags & 4) != 0, Complaint = (flags & 8) != 0 };
            window.Add(s);
            all.Add(s);
            var expected = WindowAggregates.Compute(all.Skip(Math.Max(0, all.Count - size)));
            var got = window.Aggregates(TestClock.Epoch);
            var sameCounts = got.Count == expected.Count && got.Errors == expected.Errors && got.Fallbacks == expected.Fallbacks
                             && got.PolicyViolations == expected.PolicyViolations && got.Complaints == expected.Complaints
                             && got.ErrorRate == expected.ErrorRate && got.FallbackRate == expected.FallbackRate;
            if (!sameCounts || got.P95LatencyMs is not null || got.MeanQuality is not null || got.MeanCostCents is not null)
            {
                return false;
            }
        }
        return true;
    }

    [Test]
    public void A_cleared_window_starts_empty()
    {
        var window = new StreamingWindow(WindowSpec.LastRuns(10));
        window.Add(At(100) with { Error = true });
        window.Clear();
        Assert.That(window.Aggregates(TestClock.Epoch), Is.EqualTo(WindowAggregates.Empty));
        window.Add(At(7));
        Assert.That(window.Aggregates(TestClock.Epoch), Is.EqualTo(WindowAggregates.Compute([At(7)])));
    }
}
