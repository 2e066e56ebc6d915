namespace CanarySim.Core.Tests.Detection;

/// <summary>Boundaries of the declared checks: min_samples, ratio minimums, the verdict's rolling figures, notes, and checks reading an outside source.</summary>
public sealed class DetectorBoundaryTests
{
    private static Sample Run(Engine engine, DateTimeOffset at, double m) =>
        Samples.Healthy(engine, at) with { Metrics = new Dictionary<string, double> { ["m"] = m } };

    private static InMemoryMetricsStore Store(FakeTimeProvider clock, int v1Runs, double v1, int v2Runs, double v2)
    {
        var store = new InMemoryMetricsStore(clock);
        for (var i = 0; i < v1Runs; i++)
        {
            store.Add(Run(Engine.V1, clock.GetUtcNow(), v1));
        }
        for (var i = 0; i < v2Runs; i++)
        {
            store.Add(Run(Engine.V2, clock.GetUtcNow(), v2));
        }
        return store;
    }

    private static CheckDefinition Check(string name = "c", double? max = null, double? min = null) =>
        new() { Name = name, Metric = "m", Aggregate = CheckAggregate.Mean, Max = max, Min = min, Action = VerdictAction.Rollback };

    [Test]
    public void A_check_with_exactly_its_min_samples_runs_is_judged_and_one_fewer_is_not()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var check = Check(max: 5) with { MinSamples = 10 };
        var options = new DetectorOptions { MinSamples = 1, Checks = [check] };
        var exactly = new RegressionDetector(Store(clock, 10, 1, 10, 9), options, clock).Evaluate();
        var fewer = new RegressionDetector(Store(clock, 9, 1, 9, 9), options, clock).Evaluate();
        Assert.Multiple(() =>
        {
            Assert.That(exactly.Breaches.Single().Reason, Is.EqualTo("c (V2 mean m: 9 > 5)"));
            Assert.That(fewer.Outcome, Is.EqualTo(VerdictOutcome.InsufficientData));
            Assert.That(fewer.Notes, Is.EqualTo(new[] { "c: insufficient data (V2: 9 < min_samples 10 in the last 100 runs)" }));
        });
    }

    [Test]
    public void A_ratio_minimum_breaches_below_min_times_v1_and_not_at_it()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        // v2 must keep at least half of v1's mean: v1 4, so the bound is 2
        var options = new DetectorOptions { MinSamples = 1, Checks = [Check(min: 0.5) with { Compare = CheckCompare.Ratio }] };
        var at = new RegressionDetector(Store(clock, 10, 4, 10, 2), options, clock).Evaluate();
        var below = new RegressionDetector(Store(clock, 10, 4, 10, 1.9), options, clock).Evaluate();
        Assert.Multiple(() =>
        {
            Assert.That(at.Outcome, Is.EqualTo(VerdictOutcome.Pass), "exactly at 0.5 x v1 is not a breach");
            Assert.That(below.Breaches.Single(), Is.EqualTo(new Breach("c", 1.9, 2, "c (V2 mean m: 1.9 < 0.5x V1 4 = 2)", VerdictAction.Rollback)));
        });
    }

    [Test]
    public void Complaints_per_hour_scale_the_complaints_of_a_shorter_window_up_to_an_hour()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Samples.Store(clock, 100, 100, (i, s) => s with { Complaint = i < 3 });
        var v = new RegressionDetector(store, new DetectorOptions { ComplaintsWindow = TimeSpan.FromMinutes(20) }, clock).Evaluate();
        Assert.That(v.V2.ComplaintsPerHour, Is.EqualTo(9), "3 complaints in 20 minutes");
        Assert.That(v.V1.ComplaintsPerHour, Is.Zero);
    }

    [Test]
    public void The_verdict_reports_both_engines_latency_quality_and_cost_over_the_policy_window()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        store.AddRange(Enumerable.Range(1, 100).Select(i => Samples.Healthy(Engine.V1, clock.GetUtcNow(), latency: i * 10, quality: 90, cost: 1.25)));
        store.AddRange(Enumerable.Range(1, 100).Select(i => Samples.Healthy(Engine.V2, clock.GetUtcNow(), latency: i * 12, quality: 94, cost: 1.5)));
        var v = new RegressionDetector(store, new DetectorOptions { LatencyP95MaxMs = 10_000 }, clock).Evaluate();
        Assert.Multiple(() =>
        {
            // nearest rank over 1..100 runs: p50 is the 50th, p95 the 95th, p99 the 99th
            Assert.That((v.V1.P50LatencyMs, v.V1.P95LatencyMs, v.V1.P99LatencyMs, v.V1.MeanQuality, v.V1.MeanCostCents), Is.EqualTo(((double?)500, (double?)950, (double?)990, (double?)90, (double?)1.25)));
            Assert.That((v.V2.P50LatencyMs, v.V2.P95LatencyMs, v.V2.P99LatencyMs, v.V2.MeanQuality, v.V2.MeanCostCents), Is.EqualTo(((double?)600, (double?)1140, (double?)1188, (double?)94, (double?)1.5)));
        });
    }

    [Test]
    public void An_engine_without_runs_has_no_rolling_fallback_rate_rather_than_zero()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Samples.Store(clock, 0, 40, (i, s) => s with { Fallback = i < 4 });
        var v = new RegressionDetector(store, null, clock).Evaluate();
        Assert.Multiple(() =>
        {
            Assert.That(v.V1.Count, Is.Zero);
            Assert.That(v.V1.FallbackRateRolling, Is.Null);
            Assert.That(v.V2.FallbackRateRolling, Is.Zero, "the last 20 of 40 runs had no fallback");
        });
    }

    [Test]
    public void Below_the_policys_min_samples_the_note_names_the_checks_still_judged()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, 5, 1, 5, 1);
        string Note(params CheckDefinition[] checks) => new RegressionDetector(store, new DetectorOptions { MinSamples = 30, Checks = checks }, clock).Evaluate().Notes[0];
        Assert.Multiple(() =>
        {
            Assert.That(Note(Check("a", max: 5), Check("b", max: 5)), Is.EqualTo("min_samples (V2: 5 < 30): no check is judged"));
            Assert.That(Note(Check("a", max: 5) with { MinSamples = 0 }, Check("b", max: 5)), Is.EqualTo("min_samples (V2: 5 < 30): only a is judged"));
            Assert.That(Note(Check("a", max: 5) with { MinSamples = 0 }, Check("b", max: 5), Check("c", max: 5) with { MinSamples = 1 }),
                Is.EqualTo("min_samples (V2: 5 < 30): only a, c are judged"));
        });
    }

    /// <summary>A stand-in for Prometheus: answers per engine, records the queries.</summary>
    private sealed class FakeSource(double v1, double v2) : IExternalMetricSource
    {
        public List<string> Queries { get; } = [];

        public Task<double> QueryAsync(CheckDefinition check, string query, Engine engine, CancellationToken cancellationToken)
        {
            Queries.Add(query);
            return Task.FromResult(engine == Engine.V1 ? v1 : v2);
        }
    }

    private static CheckDefinition Sourced(string name = "availability") =>
        new()
        {
            Name = name, Metric = "availability", Aggregate = CheckAggregate.Mean, Compare = CheckCompare.Drop, Max = 0.01,
            Source = new CheckSource("avail{engine=\"$engine\"}"), Action = VerdictAction.Rollback,
        };

    [Test]
    public async Task A_policy_with_one_sourced_check_among_others_must_be_evaluated_asynchronously_and_judges_all()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var source = new FakeSource(v1: 0.999, v2: 0.95);
        var detector = new RegressionDetector(Store(clock, 40, 1, 40, 9), new DetectorOptions { Checks = [Check(max: 5), Sourced()] }, clock, source);
        Assert.That(detector.HasExternalChecks, Is.True);
        Assert.That(() => detector.Evaluate(),
            Throws.InvalidOperationException.With.Message.EqualTo("The policy has checks that read Prometheus: call EvaluateAsync."));
        var first = await detector.EvaluateAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var second = await detector.EvaluateAsync().WaitAsync(TimeSpan.FromSeconds(30)); // one evaluation at a time, and the next one may start
        Assert.Multiple(() =>
        {
            Assert.That(first.Breaches.Select(b => b.Check), Is.EqualTo(new[] { "c", "availability" }));
            Assert.That(first.Breaches[1].Value, Is.EqualTo(0.999 - 0.95).Within(1e-12), "v2's drop from the v1 value the source gave");
            Assert.That(first.Breaches[1].Reason, Is.EqualTo("availability (V1 mean availability: 0.999, V2: 0.95, drop: 0.049 > 0.01)"));
            Assert.That(source.Queries, Is.EqualTo(new[] { "avail{engine=\"v2\"}", "avail{engine=\"v1\"}", "avail{engine=\"v2\"}", "avail{engine=\"v1\"}" }));
            Assert.That(second.Breaches, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void A_policy_without_a_sourced_check_is_evaluated_synchronously()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var detector = new RegressionDetector(Store(clock, 40, 1, 40, 9), new DetectorOptions { Checks = [Check(max: 5)] }, clock);
        Assert.That(detector.HasExternalChecks, Is.False);
        Assert.That(detector.Evaluate().Breaches.Single().Check, Is.EqualTo("c"));
    }

    [Test]
    public void A_sourced_check_without_a_source_is_refused_naming_its_index_and_the_option()
    {
        var options = new DetectorOptions { Checks = [Check("first", max: 5), Sourced()] };
        var ex = Assert.Throws<PolicyException>(() => _ = new RegressionDetector(new InMemoryMetricsStore(), options))!;
        Assert.That(ex.Message, Is.EqualTo("<policy>: field 'checks[1] (availability).source': the check reads from Prometheus but no Prometheus server was given (--prometheus URL)"));
        Assert.That((ex.PolicySource, ex.Field), Is.EqualTo(("<policy>", "checks[1] (availability).source")));
    }

    [Test]
    public void The_verdicts_window_text_follows_a_window_changed_after_construction()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var options = new DetectorOptions { Checks = [Check(max: 5)] };
        var detector = new RegressionDetector(Store(clock, 40, 1, 40, 1), options, clock);
        Assert.That(detector.Evaluate().Window, Is.EqualTo("last 100 runs"));
        options.WindowRuns = 50;
        Assert.That(detector.Evaluate().Window, Is.EqualTo("last 50 runs"));
        options.WindowKind = WindowKind.Time;
        Assert.That(detector.Evaluate().Window, Is.EqualTo("last 5m"));
    }
}
