namespace CanarySim.Core.Tests.Detection;

public sealed class DeclaredCheckTests
{
    private static Sample Run(Engine engine, DateTimeOffset at, double? value, string? agent = null) => Samples.Healthy(engine, at) with
    {
        Agent = agent,
        Metrics = value is { } v ? new Dictionary<string, double> { ["m"] = v } : null,
    };

    private static DetectorOptions Policy(params CheckDefinition[] checks) => new() { MinSamples = 1, Checks = checks };

    private static CheckDefinition Check(CheckAggregate aggregate, double? max = null, double? min = null) =>
        new() { Name = "c", Metric = "m", Aggregate = aggregate, Max = max, Min = min, Action = VerdictAction.Rollback };

    // values 1..10 for v2: mean 5.5, min 1, max 10, sum 55, count 10 (non-zero), rate 10/12 with two zeros, p50 5, p90 9, p95 10, p99 10
    private static InMemoryMetricsStore Store(FakeTimeProvider clock, Func<int, double?>? v2 = null, Func<int, double?>? v1 = null, int n = 10)
    {
        var store = new InMemoryMetricsStore(clock);
        for (var i = 1; i <= n; i++)
        {
            store.Add(Run(Engine.V1, clock.GetUtcNow(), v1?.Invoke(i) ?? 2));
            store.Add(Run(Engine.V2, clock.GetUtcNow(), v2 is null ? i : v2(i)));
        }
        return store;
    }

    [TestCase(CheckAggregate.Mean, 5.5)]
    [TestCase(CheckAggregate.Min, 1)]
    [TestCase(CheckAggregate.Max, 10)]
    [TestCase(CheckAggregate.Sum, 55)]
    [TestCase(CheckAggregate.Count, 10)]
    [TestCase(CheckAggregate.P50, 5)]
    [TestCase(CheckAggregate.P90, 9)]
    [TestCase(CheckAggregate.P95, 10)]
    [TestCase(CheckAggregate.P99, 10)]
    public void Each_aggregate_breaches_strictly_above_its_value_and_not_at_it(CheckAggregate aggregate, double expected)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock);
        var at = new RegressionDetector(store, Policy(Check(aggregate, max: expected)), clock).Evaluate();
        var below = new RegressionDetector(store, Policy(Check(aggregate, max: expected - 0.001)), clock).Evaluate();
        Assert.Multiple(() =>
        {
            Assert.That(at.Outcome, Is.EqualTo(VerdictOutcome.Pass), "exactly at max is not a breach");
            Assert.That(below.Breaches.Single().Value, Is.EqualTo(expected));
            Assert.That(below.Action, Is.EqualTo(VerdictAction.Rollback));
        });
    }

    [Test]
    public void Rate_is_the_non_zero_runs_over_the_runs_and_a_min_bound_breaches_below_it()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, v2: i => i <= 3 ? 1 : 0); // 3 of 10 non-zero
        var v = new RegressionDetector(store, Policy(Check(CheckAggregate.Rate, min: 0.5)), clock).Evaluate();
        Assert.That(v.Breaches.Single().Value, Is.EqualTo(0.3));
        Assert.That(v.Breaches.Single().Reason, Is.EqualTo("c (V2 rate m: 0.3 < 0.5)"));
    }

    [Test]
    public void Per_hour_counts_non_zero_runs_per_hour_of_a_time_window()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, v2: i => i <= 6 ? 1 : 0);
        var check = Check(CheckAggregate.PerHour, max: 10) with { Window = WindowSpec.LastDuration(TimeSpan.FromMinutes(30)) };
        var v = new RegressionDetector(store, Policy(check), clock).Evaluate();
        Assert.That(v.Breaches.Single().Value, Is.EqualTo(12)); // 6 in half an hour
    }

    [TestCase(CheckCompare.Drop, 1.0, 2.0, 1.0, 1.0)] // v1 3, v2 2 → drop 1: not above 1, above 0.999
    [TestCase(CheckCompare.Increase, 3.0, 4.0, 1.0, 1.0)]
    public void Drop_and_increase_compare_the_difference(CheckCompare compare, double v1, double v2, double max, double expected)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, v2: _ => compare == CheckCompare.Drop ? v2 : v2, v1: _ => compare == CheckCompare.Drop ? v1 + 2 : v1);
        var check = Check(CheckAggregate.Mean, max: max) with { Compare = compare };
        var d = new RegressionDetector(store, Policy(check), clock).Evaluate();
        var tighter = new RegressionDetector(store, Policy(check with { Max = max - 0.001 }), clock).Evaluate();
        Assert.That(d.Outcome, Is.EqualTo(VerdictOutcome.Pass));
        Assert.That(tighter.Breaches.Single().Value, Is.EqualTo(expected));
    }

    [Test]
    public void Ratio_breaches_above_max_times_v1_and_reports_in_the_metrics_units()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, v2: _ => 7, v1: _ => 2);
        var check = Check(CheckAggregate.Mean, max: 3) with { Compare = CheckCompare.Ratio };
        var v = new RegressionDetector(store, Policy(check), clock).Evaluate();
        Assert.That(v.Breaches.Single(), Is.EqualTo(new Breach("c", 7, 6, "c (V2 mean m: 7 > 3x V1 2 = 6)", VerdictAction.Rollback)));
        Assert.That(new RegressionDetector(Store(clock, v2: _ => 6, v1: _ => 2), Policy(check), clock).Evaluate().Outcome, Is.EqualTo(VerdictOutcome.Pass));
    }

    [Test]
    public void A_ratio_over_a_zero_v1_is_insufficient_data_never_a_division_and_never_a_pass()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, v2: _ => 1000, v1: _ => 0);
        var check = Check(CheckAggregate.Mean, max: 3) with { Compare = CheckCompare.Ratio };
        var v = new RegressionDetector(store, Policy(check), clock).Evaluate();
        Assert.Multiple(() =>
        {
            Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.InsufficientData));
            Assert.That(v.Action, Is.EqualTo(VerdictAction.None));
            Assert.That(v.Notes, Does.Contain("c: insufficient data (V1 mean m is 0 in the last 100 runs: a ratio has no baseline)"));
        });
        var skipping = new RegressionDetector(store, Policy(check with { IfNoBaseline = MissingBaseline.Skip }), clock).Evaluate();
        Assert.That(skipping.Outcome, Is.EqualTo(VerdictOutcome.Pass), "skip is the policy's explicit choice, and it is noted");
        Assert.That(skipping.Notes, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_where_that_matches_no_sample_is_insufficient_data_not_a_silent_pass()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock);
        var check = Check(CheckAggregate.Count, max: 0) with { Where = new Dictionary<string, string> { ["agent"] = "SICK_CALLER" } };
        var v = new RegressionDetector(store, Policy(check), clock).Evaluate();
        Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.InsufficientData));
        Assert.That(v.Notes.Single(), Is.EqualTo("c: insufficient data (no V2 run in the last 100 runs matches agent=SICK_CALLER)"));
    }

    [Test]
    public void A_custom_metric_no_sample_carries_is_insufficient_data()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Samples.Store(clock);
        var v = new RegressionDetector(store, Policy(Check(CheckAggregate.Count, max: 0)), clock).Evaluate();
        Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.InsufficientData));
        Assert.That(v.Notes.Single(), Is.EqualTo("c: insufficient data (no V2 run in the last 100 runs carries m)"));
    }

    [Test]
    public void Where_filters_by_tag_including_custom_tags()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        for (var i = 0; i < 40; i++)
        {
            var sick = i % 4 == 0;
            store.Add(Run(Engine.V2, clock.GetUtcNow(), sick && i < 20 ? 1 : 0, sick ? "SICK_CALLER" : "STOCK_CHECKER") with
            {
                Tags = new Dictionary<string, string> { ["region"] = i < 20 ? "eu" : "us" },
            });
        }
        CheckDefinition Rate(params (string, string)[] where) => Check(CheckAggregate.Rate, max: 0.25) with { Where = where.ToDictionary(p => p.Item1, p => p.Item2) };
        Assert.Multiple(() =>
        {
            Assert.That(new RegressionDetector(store, Policy(Rate()), clock).Evaluate().Outcome, Is.EqualTo(VerdictOutcome.Pass), "5 of 40 overall");
            var sick = new RegressionDetector(store, Policy(Rate(("agent", "SICK_CALLER"))), clock).Evaluate();
            Assert.That(sick.Breaches.Single().Value, Is.EqualTo(0.5), "5 of 10 SICK_CALLER runs");
            Assert.That(sick.Breaches.Single().Reason, Is.EqualTo("c (V2 rate m where agent=SICK_CALLER: 0.5 > 0.25)"));
            var eu = new RegressionDetector(store, Policy(Rate(("agent", "SICK_CALLER"), ("region", "eu"))), clock).Evaluate();
            Assert.That(eu.Breaches.Single().Value, Is.EqualTo(1.0));
        });
    }

    [Test]
    public void A_value_check_can_read_v1()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, v1: _ => 9);
        var v = new RegressionDetector(store, Policy(Check(CheckAggregate.Mean, max: 5) with { Engine = Engine.V1 }), clock).Evaluate();
        Assert.That(v.Breaches.Single().Reason, Is.EqualTo("c (V1 mean m: 9 > 5)"));
    }

    [Test]
    public void Per_check_window_and_min_samples_apply_to_that_check_only()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, v2: i => i > 7 ? 100 : 1); // the last 3 runs are 100
        var windowed = Check(CheckAggregate.Mean, max: 50) with { Window = WindowSpec.LastRuns(3) };
        Assert.That(new RegressionDetector(store, Policy(windowed), clock).Evaluate().Breaches.Single().Value, Is.EqualTo(100));
        var starved = windowed with { MinSamples = 4 };
        var v = new RegressionDetector(store, Policy(starved), clock).Evaluate();
        Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.InsufficientData));
        Assert.That(v.Notes.Single(), Is.EqualTo("c: insufficient data (V2: 3 < min_samples 4 in the last 3 runs)"));
    }

    [Test]
    public void Min_samples_zero_judges_below_the_policy_minimum()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, n: 3);
        var options = new DetectorOptions { Checks = [Check(CheckAggregate.Max, max: 2) with { MinSamples = 0, Name = "anomalies" }, Check(CheckAggregate.Max, max: 2) with { Name = "other" }] };
        var v = new RegressionDetector(store, options, clock).Evaluate();
        Assert.That(v.Breaches.Select(b => b.Check), Is.EqualTo(new[] { "anomalies" }));
        Assert.That(v.Notes.Single(), Is.EqualTo("min_samples (V2: 3 < 30): only anomalies is judged"));
    }

    [Test]
    public void Sustain_holds_as_pending_until_every_evaluation_over_the_duration_breached()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock);
        var detector = new RegressionDetector(store, Policy(Check(CheckAggregate.Max, max: 5) with { Sustain = TimeSpan.FromMinutes(15) }), clock);
        var first = detector.Evaluate();
        Assert.That(first.Pending.Single().Reason, Is.EqualTo("c (V2 max m: 10 > 5, for 0s of 15m needed)"));
        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.That(detector.Evaluate().Breaches.Single().Reason, Is.EqualTo("c (V2 max m: 10 > 5, sustained 15m >= 15m)"));
    }

    [Test]
    public void A_reason_template_is_filled_in()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var check = Check(CheckAggregate.Mean, max: 5) with { Reason = "{name}: v2 {aggregate} of {metric} is {value}, limit {threshold}" };
        var v = new RegressionDetector(Store(clock), Policy(check), clock).Evaluate();
        Assert.That(v.Breaches.Single().Reason, Is.EqualTo("c: v2 mean of m is 5.5, limit 5"));
    }

    [Test]
    public void Judge_compares_the_distributions_of_one_metric()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, v2: i => 1200 + i, v1: i => 800 + i, n: 60);
        var check = Check(CheckAggregate.Mean, max: 0) with { Compare = CheckCompare.Judge };
        var v = new RegressionDetector(store, Policy(check), clock).Evaluate();
        Assert.That(v.Breaches.Single().Check, Is.EqualTo("c"));
        Assert.That(v.Judge!.Metrics.Single().Name, Is.EqualTo("m"));
        var same = new RegressionDetector(Store(clock, v2: i => 800 + i, v1: i => 800 + i, n: 60), Policy(check), clock).Evaluate();
        Assert.That(same.Outcome, Is.EqualTo(VerdictOutcome.Pass));
    }

    private sealed class FakeSource(Func<string, double> answer) : IExternalMetricSource
    {
        public List<string> Queries { get; } = [];

        public Task<double> QueryAsync(CheckDefinition check, string query, Engine engine, CancellationToken cancellationToken)
        {
            Queries.Add(query);
            return Task.FromResult(answer(query));
        }
    }

    [Test]
    public async Task A_check_with_a_source_reads_it_with_the_engine_filled_in()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var source = new FakeSource(q => q.Contains("v2", StringComparison.Ordinal) ? 2100 : 900);
        var check = Check(CheckAggregate.P95, max: 1600) with { Metric = "latency_ms", Source = new CheckSource("p95{engine=\"$engine\"}") };
        var detector = new RegressionDetector(Samples.Store(clock), Policy(check), clock, source);
        var v = await detector.EvaluateAsync();
        Assert.That(v.Breaches.Single().Value, Is.EqualTo(2100));
        Assert.That(source.Queries, Is.EqualTo(new[] { "p95{engine=\"v2\"}" }));
        Assert.Throws<InvalidOperationException>(() => detector.Evaluate());
    }

    [Test]
    public async Task A_failing_source_is_an_error_measurement_never_a_pass()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var source = new FakeSource(_ => throw new HttpRequestException("connection refused"));
        var check = Check(CheckAggregate.P95, max: 1600) with { Source = new CheckSource("q") };
        var v = await new RegressionDetector(Samples.Store(clock), Policy(check), clock, source).EvaluateAsync();
        Assert.Multiple(() =>
        {
            Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.Inconclusive));
            Assert.That(v.Errors.Single(), Is.EqualTo(new CheckError("c", "c: connection refused")));
            Assert.That(Measurement.PhaseOf(v), Is.EqualTo(MeasurementPhase.Error));
        });
    }

    [Test]
    public void A_source_check_without_a_source_is_refused_when_the_detector_is_built()
    {
        var check = Check(CheckAggregate.P95, max: 1600) with { Source = new CheckSource("q") };
        var ex = Assert.Throws<PolicyException>(() => _ = new RegressionDetector(new InMemoryMetricsStore(), Policy(check)))!;
        Assert.That(ex.Message, Does.Contain("checks[0] (c).source"));
    }

    [Test]
    public void A_check_with_its_own_failure_limit_holds_until_it_is_exceeded()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock);
        var options = Policy(Check(CheckAggregate.Max, max: 5) with { FailureLimit = 1 });
        var live = new LiveSettings(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 20 });
        var guard = new CanaryGuard(store, live, new InMemorySettingsStore(live.Current), new Audit.InMemoryAuditLog(), options, clock);
        Assert.That(guard.EvaluateAndAct().Action, Is.EqualTo(VerdictAction.Hold));
        Assert.That(live.Current.KillSwitch, Is.False);
        Assert.That(guard.EvaluateAndAct().Action, Is.EqualTo(VerdictAction.Rollback));
        Assert.That(live.Current.KillSwitch, Is.True);
    }
}
