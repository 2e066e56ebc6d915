using CanarySim.Core.Judging;

namespace CanarySim.Core.Tests.Detection;

/// <summary>Declared checks with compare "judge": which metric and direction the statistical judge is given, and what happens when it cannot run.</summary>
public sealed class JudgeCheckTests
{
    private const int Runs = 60;

    private static Sample Run(Engine engine, DateTimeOffset at, double m) =>
        Samples.Healthy(engine, at) with { Metrics = new Dictionary<string, double> { ["m"] = m } };

    /// <summary>v1 runs m = 800..859; v2 runs shifted by <paramref name="v2Shift"/> (none when <paramref name="v2Runs"/> is 0).</summary>
    private static InMemoryMetricsStore Store(FakeTimeProvider clock, double v2Shift, int v1Runs = Runs, int v2Runs = Runs)
    {
        var store = new InMemoryMetricsStore(clock);
        for (var i = 0; i < v1Runs; i++)
        {
            store.Add(Run(Engine.V1, clock.GetUtcNow(), 800 + i));
        }
        for (var i = 0; i < v2Runs; i++)
        {
            store.Add(Run(Engine.V2, clock.GetUtcNow(), 800 + v2Shift + i));
        }
        return store;
    }

    private static CheckDefinition Judge(string name = "c", string metric = "m", double? max = null, double? min = null) =>
        new() { Name = name, Metric = metric, Aggregate = CheckAggregate.Mean, Compare = CheckCompare.Judge, Max = max, Min = min, Action = VerdictAction.Rollback };

    private static Verdict Evaluate(InMemoryMetricsStore store, FakeTimeProvider clock, DetectorOptions options) =>
        new RegressionDetector(store, options, clock).Evaluate();

    private static DetectorOptions Policy(params CheckDefinition[] checks) => new() { MinSamples = 1, Checks = checks };

    // The bounds of a judge check on one metric say which change is a regression:
    // only max = an increase, only min = a decrease, both or neither = either way.
    [TestCase(0.0, null, true, false, TestName = "A_judge_check_with_only_max_fails_an_increase_and_passes_a_decrease")]
    [TestCase(null, 0.0, false, true, TestName = "A_judge_check_with_only_min_fails_a_decrease_and_passes_an_increase")]
    [TestCase(0.0, 0.0, true, true, TestName = "A_judge_check_with_max_and_min_fails_either_change")]
    [TestCase(null, null, true, true, TestName = "A_judge_check_without_bounds_fails_either_change")]
    public void The_judged_direction_comes_from_the_checks_bounds(double? max, double? min, bool increaseFails, bool decreaseFails)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var check = Judge(max: max, min: min);
        var up = Evaluate(Store(clock, v2Shift: 400), clock, Policy(check));
        var down = Evaluate(Store(clock, v2Shift: -400), clock, Policy(check));
        Assert.Multiple(() =>
        {
            Assert.That(up.Judge!.Metrics.Single().Classification, Is.EqualTo(MetricClassification.High), "the judge sees the increase");
            Assert.That(down.Judge!.Metrics.Single().Classification, Is.EqualTo(MetricClassification.Low), "the judge sees the decrease");
            Assert.That(up.Outcome, Is.EqualTo(increaseFails ? VerdictOutcome.Fail : VerdictOutcome.Pass), "increase");
            Assert.That(down.Outcome, Is.EqualTo(decreaseFails ? VerdictOutcome.Fail : VerdictOutcome.Pass), "decrease");
        });
    }

    [Test]
    public void A_metric_the_policys_judge_declares_keeps_its_declared_direction()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var options = Policy(Judge(metric: "quality", max: 0)); // max alone would judge an increase
        options.Judge.Metrics.Add(new JudgedMetric { Name = "quality", Direction = MetricDirection.Decrease });
        // v1 quality is 95 in every run; v2 runs 40..49, or 96..99
        var lower = Evaluate(Samples.Store(clock, Runs, Runs, (i, s) => s with { Quality = 40 + (i % 10) }), clock, options);
        var higher = Evaluate(Samples.Store(clock, Runs, Runs, (i, s) => s with { Quality = 96 + (i % 4) }), clock, options);
        Assert.Multiple(() =>
        {
            Assert.That(lower.Outcome, Is.EqualTo(VerdictOutcome.Fail), "a quality drop fails the declared direction");
            Assert.That(higher.Judge!.Metrics.Single().Classification, Is.EqualTo(MetricClassification.High));
            Assert.That(higher.Outcome, Is.EqualTo(VerdictOutcome.Pass), "a quality rise is not a regression for that metric");
        });
    }

    [Test]
    public void A_judge_check_on_every_metric_judges_the_policys_judge_metrics()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var options = Policy(Judge(metric: "*"));
        foreach (var name in new[] { "latency_ms", "quality", "cost_cents", "tokens" })
        {
            options.Judge.Metrics.Add(new JudgedMetric { Name = name });
        }
        options.Judge.MarginalScore = 70;
        // only latency regresses: 3 of 4 equally weighted metrics pass, a score of 75: marginal, held
        var v = Evaluate(Samples.Store(clock, Runs, Runs, (i, s) => s with { LatencyMs = 2000 + i }), clock, options);
        Assert.Multiple(() =>
        {
            Assert.That(v.Judge!.Metrics.Select(m => m.Name), Is.EqualTo(new[] { "latency_ms", "quality", "cost_cents", "tokens" }));
            Assert.That(v.Judge.Score, Is.EqualTo(75));
            Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.Inconclusive));
            Assert.That(v.Action, Is.EqualTo(VerdictAction.Hold));
            Assert.That(v.Breaches, Is.Empty);
            Assert.That(v.Inconclusive.Single(), Is.EqualTo(new Breach("c", 75, 95, $"c ({v.Judge.Reason})", VerdictAction.Hold)));
            Assert.That(v.Judge.Reason, Does.StartWith("score 75 (marginal: pass >= 95, marginal >= 70); failed: latency_ms high"));
        });
    }

    [Test]
    public void A_failing_judge_is_a_breach_named_by_the_check_with_the_judges_reason()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var v = Evaluate(Store(clock, v2Shift: 400), clock, Policy(Judge()));
        Assert.Multiple(() =>
        {
            Assert.That(v.Breaches.Single(), Is.EqualTo(new Breach("c", 0, 75, $"c ({v.Judge!.Reason})", VerdictAction.Rollback)));
            Assert.That(v.Judge.Reason, Does.StartWith("score 0 (fail: pass >= 95, marginal >= 75); failed: m high"));
        });
    }

    [Test]
    public void The_verdict_carries_the_first_judge_checks_judgement()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var v = Evaluate(Store(clock, v2Shift: 400), clock, Policy(Judge("first"), Judge("second", metric: "quality")));
        Assert.That(v.Breaches.Select(b => b.Check), Is.EqualTo(new[] { "first" }), "quality is the same on both sides");
        Assert.That(v.Judge!.Metrics.Single().Name, Is.EqualTo("m"));
    }

    [TestCase(MissingBaseline.Insufficient, VerdictOutcome.InsufficientData)]
    [TestCase(MissingBaseline.Skip, VerdictOutcome.Pass)]
    public void A_judge_check_without_v1_runs_follows_if_no_baseline(MissingBaseline ifNoBaseline, VerdictOutcome expected)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var v = Evaluate(Store(clock, v2Shift: 400, v1Runs: 0), clock, Policy(Judge() with { IfNoBaseline = ifNoBaseline }));
        Assert.Multiple(() =>
        {
            Assert.That(v.Outcome, Is.EqualTo(expected));
            Assert.That(v.Notes, Is.EqualTo(new[] { "c: insufficient data (no V1 run in the last 100 runs to compare against)" }));
            Assert.That(v.Judge, Is.Null, "the judge did not run");
        });
    }

    [Test]
    public void The_built_in_judge_check_without_v1_runs_says_so_in_its_own_words()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var v = Evaluate(Store(clock, v2Shift: 400, v1Runs: 0), clock, Policy(Judge(name: CheckNames.Judge)));
        Assert.That(v.Notes, Is.EqualTo(new[] { "judge: no v1 samples in the window to compare against" }));
    }

    [Test]
    public void A_judge_check_waits_for_the_policys_min_samples_unless_it_has_its_own()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, v2Shift: 400);
        var waiting = Evaluate(store, clock, new DetectorOptions { MinSamples = Runs + 1, Checks = [Judge()] });
        var own = Evaluate(store, clock, new DetectorOptions { MinSamples = Runs + 1, Checks = [Judge() with { MinSamples = 0 }] });
        Assert.Multiple(() =>
        {
            Assert.That(waiting.Outcome, Is.EqualTo(VerdictOutcome.InsufficientData), "a regression the judge would fail, below min_samples");
            Assert.That(waiting.Judge, Is.Null);
            Assert.That(own.Breaches.Single().Check, Is.EqualTo("c"));
        });
    }

    [Test]
    public void A_judge_check_reads_its_own_window()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        for (var i = 0; i < Runs; i++)
        {
            store.Add(Run(Engine.V1, clock.GetUtcNow(), 800 + i)); // v1 ran only 10 minutes ago
        }
        clock.Advance(TimeSpan.FromMinutes(10));
        for (var i = 0; i < Runs; i++)
        {
            store.Add(Run(Engine.V2, clock.GetUtcNow(), 1200 + i));
        }
        var lastFiveMinutes = Judge() with { Window = WindowSpec.LastDuration(TimeSpan.FromMinutes(5)) };
        var own = Evaluate(store, clock, Policy(lastFiveMinutes));
        var policyWindow = Evaluate(store, clock, Policy(Judge()));
        Assert.Multiple(() =>
        {
            Assert.That(own.Outcome, Is.EqualTo(VerdictOutcome.InsufficientData));
            Assert.That(own.Notes, Is.EqualTo(new[] { "c: insufficient data (no V1 run in the last 5m to compare against)" }));
            Assert.That(policyWindow.Breaches.Single().Check, Is.EqualTo("c"), "the policy's 100 runs still hold v1's runs");
        });
    }

    /// <summary>A metrics store that answers with arrays (as a remote store might), not lists.</summary>
    private sealed class ArrayStore(IMetricsStore inner) : IMetricsStore
    {
        public void Add(Sample sample) => inner.Add(sample);

        public IReadOnlyList<Sample> LastRuns(Engine engine, int count) => inner.LastRuns(engine, count).ToArray();

        public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since) => inner.Since(engine, since).ToArray();
    }

    [Test]
    public void A_judge_check_works_over_a_store_that_answers_with_arrays()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var v = new RegressionDetector(new ArrayStore(Store(clock, v2Shift: 400)), Policy(Judge()), clock).Evaluate();
        Assert.That(v.Breaches.Single().Check, Is.EqualTo("c"));
        Assert.That(v.Judge!.Metrics.Single().ExperimentCount, Is.EqualTo(Runs));
    }
}
