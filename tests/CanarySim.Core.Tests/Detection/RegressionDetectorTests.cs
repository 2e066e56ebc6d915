namespace CanarySim.Core.Tests.Detection;

public sealed class RegressionDetectorTests
{
    private static Verdict Evaluate(Func<int, Sample, Sample>? v2Shape, int v2 = 100, DetectorOptions? options = null, int v1 = 100)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var detector = new RegressionDetector(Samples.Store(clock, v1, v2, v2Shape), options, clock);
        return detector.Evaluate();
    }

    [Test]
    public void Healthy_canary_passes_with_no_action()
    {
        var v = Evaluate(null);
        Assert.Multiple(() =>
        {
            Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.Pass));
            Assert.That(v.Action, Is.EqualTo(VerdictAction.None));
            Assert.That(v.Breaches, Is.Empty);
            Assert.That(v.Samples, Is.EqualTo(new SampleCounts(100, 100)));
            Assert.That(v.V2.MeanQuality, Is.EqualTo(95));
        });
    }

    [Test]
    public void Quality_drop_above_threshold_rolls_back_with_the_spec_reason()
    {
        var v = Evaluate((_, s) => s with { Quality = 82 });
        Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.Fail));
        Assert.That(v.Action, Is.EqualTo(VerdictAction.Rollback));
        var b = v.Breaches.Single();
        Assert.Multiple(() =>
        {
            Assert.That(b.Check, Is.EqualTo("quality"));
            Assert.That(b.Value, Is.EqualTo(13.0));
            Assert.That(b.Threshold, Is.EqualTo(5.0));
            Assert.That(b.Reason, Is.EqualTo("quality (V1: 95.0, V2: 82.0, drop: 13.0)"));
        });
    }

    [Test]
    public void Quality_drop_exactly_at_threshold_is_not_a_breach()
    {
        Assert.That(Evaluate((_, s) => s with { Quality = 90 }).Outcome, Is.EqualTo(VerdictOutcome.Pass));
        // 93.3 - 88.3 must be exactly 5.0, not 5.000000000000007
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        store.AddRange(Samples.Many(40, Engine.V1, clock.GetUtcNow(), (_, s) => s with { Quality = 93.3 }));
        store.AddRange(Samples.Many(40, Engine.V2, clock.GetUtcNow(), (_, s) => s with { Quality = 88.3 }));
        Assert.That(new RegressionDetector(store, null, clock).Evaluate().Outcome, Is.EqualTo(VerdictOutcome.Pass));
    }

    [Test]
    public void Quality_drop_just_above_threshold_breaches() =>
        Assert.That(Evaluate((_, s) => s with { Quality = 89.9 }).Breaches.Single().Check, Is.EqualTo("quality"));

    [Test]
    public void Latency_p95_above_threshold_rolls_back_with_the_spec_reason()
    {
        // 100 v2 samples: 94 at 800 ms, 6 at 1850 ms -> nearest-rank p95 (95th smallest) is 1850.
        var v = Evaluate((i, s) => s with { LatencyMs = i < 94 ? 800 : 1850 });
        var b = v.Breaches.Single();
        Assert.Multiple(() =>
        {
            Assert.That(v.Action, Is.EqualTo(VerdictAction.Rollback));
            Assert.That(b.Check, Is.EqualTo("latency"));
            Assert.That(b.Reason, Is.EqualTo("latency (V2 p95: 1850ms > 1600ms)"));
            Assert.That(b.Value, Is.EqualTo(1850));
            Assert.That(b.Threshold, Is.EqualTo(1600));
        });
    }

    [Test]
    public void Latency_p95_exactly_at_threshold_is_not_a_breach() =>
        Assert.That(Evaluate((i, s) => s with { LatencyMs = i < 94 ? 800 : 1600 }).Outcome, Is.EqualTo(VerdictOutcome.Pass));

    [Test]
    public void Latency_p95_uses_nearest_rank_so_five_slow_runs_of_100_do_not_breach() =>
        Assert.That(Evaluate((i, s) => s with { LatencyMs = i < 95 ? 800 : 1850 }).Outcome, Is.EqualTo(VerdictOutcome.Pass));

    [Test]
    public void Mean_cost_above_threshold_rolls_back_and_exactly_at_it_passes()
    {
        var over = Evaluate((_, s) => s with { CostCents = 3.1 }, options: new DetectorOptions { ProjectedCostCents = 10 });
        Assert.That(over.Breaches.Single().Check, Is.EqualTo("cost"));
        Assert.That(over.Breaches.Single().Reason, Is.EqualTo("cost (V2 mean: 3.10c > 3.00c per run)"));
        Assert.That(over.Action, Is.EqualTo(VerdictAction.Rollback));
        Assert.That(Evaluate((_, s) => s with { CostCents = 3.0 }, options: new DetectorOptions { ProjectedCostCents = 10 }).Outcome, Is.EqualTo(VerdictOutcome.Pass));
    }

    [Test]
    public void Below_min_samples_is_insufficient_data_with_no_action_even_when_terrible()
    {
        var v = Evaluate((_, s) => s with { Quality = 10, LatencyMs = 9000, Error = true, Fallback = true }, v2: 29);
        Assert.Multiple(() =>
        {
            Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.InsufficientData));
            Assert.That(v.Action, Is.EqualTo(VerdictAction.None));
            Assert.That(v.Breaches, Is.Empty);
            Assert.That(v.Notes.Single(), Does.StartWith("min_samples (V2: 29 < 30)"));
        });
    }

    [Test]
    public void Exactly_min_samples_is_judged() =>
        Assert.That(Evaluate((_, s) => s with { Quality = 10 }, v2: 30).Outcome, Is.EqualTo(VerdictOutcome.Fail));

    [Test]
    public void Policy_violation_below_min_samples_rolls_back_immediately()
    {
        var v = Evaluate((_, s) => s with { PolicyViolation = true }, v2: 1);
        Assert.Multiple(() =>
        {
            Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.Fail));
            Assert.That(v.Action, Is.EqualTo(VerdictAction.Rollback));
            Assert.That(v.Breaches.Single().Check, Is.EqualTo("policy_violation"));
            Assert.That(v.Breaches.Single().Reason, Does.StartWith("policy_violation (V2: 1 violation in last 100 runs"));
        });
    }

    [Test]
    public void Policy_violation_of_v1_is_not_a_v2_breach()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Samples.Store(clock);
        store.Add(Samples.Healthy(Engine.V1, clock.GetUtcNow()) with { PolicyViolation = true });
        Assert.That(new RegressionDetector(store, null, clock).Evaluate().Outcome, Is.EqualTo(VerdictOutcome.Pass));
    }

    [Test]
    public void Error_rate_breach_holds_until_sustained_for_five_minutes_then_rolls_back()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Samples.Store(clock, v2: 100, shape: (i, s) => s with { Error = i < 8 });
        var detector = new RegressionDetector(store, null, clock);

        var first = detector.Evaluate();
        Assert.That(first.Outcome, Is.EqualTo(VerdictOutcome.Inconclusive));
        Assert.That(first.Action, Is.EqualTo(VerdictAction.Hold));
        Assert.That(first.Pending.Single().Check, Is.EqualTo("error_rate"));
        Assert.That(first.Pending.Single().Reason, Is.EqualTo("error_rate (V2: 8.0% > 5.0%, for 0s of 5m needed)"));

        clock.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(59));
        Assert.That(detector.Evaluate().Outcome, Is.EqualTo(VerdictOutcome.Inconclusive));

        clock.Advance(TimeSpan.FromSeconds(1));
        var sustained = detector.Evaluate();
        Assert.That(sustained.Outcome, Is.EqualTo(VerdictOutcome.Fail));
        Assert.That(sustained.Action, Is.EqualTo(VerdictAction.Rollback));
        Assert.That(sustained.Breaches.Single().Reason, Is.EqualTo("error_rate (V2: 8.0% > 5.0%, sustained 5m >= 5m)"));
    }

    [Test]
    public void Error_rate_streak_restarts_after_a_clean_evaluation()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Samples.Store(clock, v2: 100, shape: (i, s) => s with { Error = i < 8 });
        var detector = new RegressionDetector(store, null, clock);
        detector.Evaluate();
        clock.Advance(TimeSpan.FromMinutes(3));
        store.AddRange(Samples.Many(100, Engine.V2, clock.GetUtcNow())); // window now clean
        Assert.That(detector.Evaluate().Outcome, Is.EqualTo(VerdictOutcome.Pass));
        clock.Advance(TimeSpan.FromSeconds(1));
        store.AddRange(Samples.Many(8, Engine.V2, clock.GetUtcNow(), (_, s) => s with { Error = true }));
        detector.Evaluate();
        clock.Advance(TimeSpan.FromMinutes(4));
        var v = detector.Evaluate();
        Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.Inconclusive), "the earlier breach must not count toward the new streak");
    }

    [Test]
    public void Error_rate_exactly_five_percent_never_breaches()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var detector = new RegressionDetector(Samples.Store(clock, v2: 100, shape: (i, s) => s with { Error = i < 5 }), null, clock);
        detector.Evaluate();
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.That(detector.Evaluate().Outcome, Is.EqualTo(VerdictOutcome.Pass));
    }

    [Test]
    public void Latency_above_five_seconds_sustained_ten_minutes_reduces_traffic()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var options = new DetectorOptions { LatencyP95MaxMs = 100_000 }; // isolate the sustained check
        var detector = new RegressionDetector(Samples.Store(clock, v2: 100, shape: (_, s) => s with { LatencyMs = 5200 }), options, clock);
        Assert.That(detector.Evaluate().Pending.Single().Check, Is.EqualTo("latency_sustained"));
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.That(detector.Evaluate().Action, Is.EqualTo(VerdictAction.Hold));
        clock.Advance(TimeSpan.FromMinutes(1));
        var v = detector.Evaluate();
        Assert.That(v.Action, Is.EqualTo(VerdictAction.ReduceTraffic));
        Assert.That(v.Breaches.Single().Reason, Is.EqualTo("latency_sustained (V2 p95: 5200ms > 5000ms, sustained 10m >= 10m)"));
    }

    [Test]
    public void Cost_spike_over_three_times_projected_pauses_and_exactly_three_times_does_not()
    {
        var options = new DetectorOptions { ProjectedCostCents = 0.5 };
        var v = Evaluate((_, s) => s with { CostCents = 1.6 }, options: options);
        Assert.That(v.Action, Is.EqualTo(VerdictAction.Pause));
        Assert.That(v.Breaches.Single().Reason, Is.EqualTo("cost_spike (V2 mean: 1.60c > 3x projected 0.50c = 1.50c)"));
        Assert.That(Evaluate((_, s) => s with { CostCents = 1.5 }, options: options).Outcome, Is.EqualTo(VerdictOutcome.Pass));
    }

    [Test]
    public void Cost_spike_projection_defaults_to_v1_mean_cost()
    {
        var v = Evaluate((_, s) => s with { CostCents = 2.9 }, options: new DetectorOptions()); // v1 costs 1.5; 2.9 < 4.5
        Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.Pass));
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        store.AddRange(Samples.Many(50, Engine.V1, clock.GetUtcNow(), (_, s) => s with { CostCents = 0.5 }));
        store.AddRange(Samples.Many(50, Engine.V2, clock.GetUtcNow(), (_, s) => s with { CostCents = 1.6 }));
        Assert.That(new RegressionDetector(store, null, clock).Evaluate().Breaches.Single().Check, Is.EqualTo("cost_spike"));
    }

    [Test]
    public void More_than_ten_complaints_in_an_hour_asks_for_manual_review()
    {
        var v = Evaluate((i, s) => s with { Complaint = i < 11 });
        Assert.That(v.Action, Is.EqualTo(VerdictAction.ManualReview));
        Assert.That(v.Breaches.Single().Reason, Is.EqualTo("complaints (V2: 11 in 1h > 10)"));
        Assert.That(v.V2.ComplaintsPerHour, Is.EqualTo(11));
        Assert.That(Evaluate((i, s) => s with { Complaint = i < 10 }).Outcome, Is.EqualTo(VerdictOutcome.Pass));
    }

    [Test]
    public void Complaints_older_than_an_hour_do_not_count()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        store.AddRange(Samples.Many(11, Engine.V2, clock.GetUtcNow(), (_, s) => s with { Complaint = true }));
        clock.Advance(TimeSpan.FromHours(1));
        store.AddRange(Samples.Many(100, Engine.V1, clock.GetUtcNow()));
        store.AddRange(Samples.Many(30, Engine.V2, clock.GetUtcNow()));
        var options = new DetectorOptions { WindowRuns = 1000 };
        var v = new RegressionDetector(store, options, clock).Evaluate();
        Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.Pass));
        Assert.That(v.V2.Complaints, Is.EqualTo(11), "still in the run window, but not in the last hour");
    }

    [Test]
    public void Fallback_rate_is_judged_over_the_last_twenty_runs()
    {
        // 3 fallbacks among the last 20 runs = 15 % > 10 %; over the whole window only 3 %.
        var v = Evaluate((i, s) => s with { Fallback = i >= 97 });
        Assert.That(v.Action, Is.EqualTo(VerdictAction.Rollback));
        Assert.That(v.Breaches.Single().Reason, Is.EqualTo("fallback_rate (V2: 15.0% over the last 20 runs > 10.0%)"));
        Assert.That(v.V2.FallbackRate, Is.EqualTo(0.03));
        Assert.That(v.V2.FallbackRateRolling, Is.EqualTo(0.15));
        // exactly 2 of 20 = 10 % is not a breach; 3 fallbacks outside the last 20 are not either
        Assert.That(Evaluate((i, s) => s with { Fallback = i >= 98 }).Outcome, Is.EqualTo(VerdictOutcome.Pass));
        Assert.That(Evaluate((i, s) => s with { Fallback = i < 3 }).Outcome, Is.EqualTo(VerdictOutcome.Pass));
    }

    [Test]
    public void Every_breach_is_reported_and_the_most_severe_action_wins()
    {
        var options = new DetectorOptions { ProjectedCostCents = 0.5 };
        var pauseAndReview = Evaluate((i, s) => s with { CostCents = 2, Complaint = i < 20 }, options: options);
        Assert.That(pauseAndReview.Breaches.Select(b => b.Check), Is.EqualTo(new[] { "cost_spike", "complaints" }));
        Assert.That(pauseAndReview.Action, Is.EqualTo(VerdictAction.Pause));

        var all = Evaluate((i, s) => s with { CostCents = 2, Complaint = i < 20, Quality = 50, LatencyMs = 2000 }, options: options);
        Assert.That(all.Breaches.Select(b => b.Check), Is.EqualTo(new[] { "quality", "latency", "cost_spike", "complaints" }));
        Assert.That(all.Action, Is.EqualTo(VerdictAction.Rollback));
    }

    [Test]
    public void Severity_order_is_none_hold_manual_review_pause_reduce_traffic_rollback()
    {
        var order = new[] { VerdictAction.None, VerdictAction.Hold, VerdictAction.ManualReview, VerdictAction.Pause, VerdictAction.ReduceTraffic, VerdictAction.Rollback };
        Assert.That(order, Is.Ordered);
        Assert.That(Enum.GetValues<VerdictAction>().Order(), Is.EqualTo(order));
    }

    [Test]
    public void Time_window_counts_only_the_last_five_minutes()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        store.AddRange(Samples.Many(100, Engine.V2, clock.GetUtcNow(), (_, s) => s with { Quality = 10 }));
        store.AddRange(Samples.Many(100, Engine.V1, clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(5)); // the bad runs are now exactly 5 min old: out of (now-5m, now]
        store.AddRange(Samples.Many(40, Engine.V1, clock.GetUtcNow()));
        store.AddRange(Samples.Many(40, Engine.V2, clock.GetUtcNow()));
        var v = new RegressionDetector(store, new DetectorOptions { WindowKind = WindowKind.Time }, clock).Evaluate();
        Assert.That(v.Samples, Is.EqualTo(new SampleCounts(40, 40)));
        Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.Pass));
        Assert.That(v.Window, Is.EqualTo("last 5m"));
    }

    [Test]
    public void Detector_works_over_a_plain_metrics_store_without_streaming_windows()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var inner = Samples.Store(clock, shape: (i, s) => s with { LatencyMs = i < 94 ? 800 : 1850 });
        var plain = new PlainStore(inner);
        var v = new RegressionDetector(plain, null, clock).Evaluate();
        Assert.That(v.Breaches.Single().Reason, Is.EqualTo("latency (V2 p95: 1850ms > 1600ms)"));
        Assert.That(v.V2, Is.EqualTo(new RegressionDetector(inner, null, clock).Evaluate().V2));
    }

    [Test]
    public void Invalid_options_are_refused()
    {
        var ex = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            new RegressionDetector(new InMemoryMetricsStore(), new DetectorOptions { MinSamples = 0, ErrorRateMax = 2 }));
        Assert.That(ex!.Message, Does.Contain("MinSamples").And.Contain("ErrorRateMax"));
    }

    /// <summary>An IMetricsStore without the streaming capability (like a remote source).</summary>
    private sealed class PlainStore(IMetricsStore inner) : IMetricsStore
    {
        public void Add(Sample sample) => inner.Add(sample);
        public IReadOnlyList<Sample> LastRuns(Engine engine, int count) => inner.LastRuns(engine, count);
        public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since) => inner.Since(engine, since);
    }
}
