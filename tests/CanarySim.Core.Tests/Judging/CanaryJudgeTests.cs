using CanarySim.Core.Judging;
using CanarySim.Core.Tests.Detection;

namespace CanarySim.Core.Tests.Judging;

public sealed class CanaryJudgeTests
{
    private static readonly JudgeOptions Defaults = new();

    private static double[] Spread(double center, int n = 100) => Enumerable.Range(0, n).Select(i => center + (i % 20) - 10).ToArray();

    [Test]
    public void A_clear_increase_is_high_and_fails_an_increase_metric()
    {
        var m = CanaryJudge.JudgeMetric(new JudgedMetric { Name = "latency_ms", Direction = MetricDirection.Increase }, Spread(800), Spread(1200), Defaults);
        Assert.Multiple(() =>
        {
            Assert.That(m.Classification, Is.EqualTo(MetricClassification.High));
            Assert.That(m.Failed, Is.True);
            Assert.That(m.PValue, Is.LessThan(1e-10));
            Assert.That(m.Estimate, Is.EqualTo(400));
            Assert.That(m.EffectSize, Is.EqualTo(1199.5 / 799.5).Within(1e-12)); // means of Spread(): center - 0.5
            Assert.That(m.Reason, Does.StartWith("latency_ms: high (U: 10000"));
        });
    }

    [Test]
    public void A_decrease_is_low_and_passes_an_increase_only_metric()
    {
        var m = CanaryJudge.JudgeMetric(new JudgedMetric { Name = "latency_ms", Direction = MetricDirection.Increase }, Spread(1200), Spread(800), Defaults);
        Assert.That(m.Classification, Is.EqualTo(MetricClassification.Low));
        Assert.That(m.Failed, Is.False);
        var either = CanaryJudge.JudgeMetric(new JudgedMetric { Name = "latency_ms" }, Spread(1200), Spread(800), Defaults);
        Assert.That(either.Failed, Is.True);
    }

    [Test]
    public void Noise_within_the_tolerance_passes()
    {
        var rng = new Random(3);
        var c = Enumerable.Range(0, 100).Select(_ => 800 + rng.NextDouble() * 200).ToArray();
        var e = Enumerable.Range(0, 100).Select(_ => 800 + rng.NextDouble() * 200).ToArray();
        Assert.That(CanaryJudge.JudgeMetric(new JudgedMetric { Name = "latency_ms" }, c, e, Defaults).Classification, Is.EqualTo(MetricClassification.Pass));
    }

    [Test]
    public void An_allowed_increase_tolerates_a_small_effect()
    {
        var metric = new JudgedMetric { Name = "cost_cents", Direction = MetricDirection.Increase, AllowedIncrease = 1.6 };
        Assert.That(CanaryJudge.JudgeMetric(metric, Spread(800), Spread(1200), Defaults).Classification, Is.EqualTo(MetricClassification.Pass));
    }

    [Test]
    public void Identical_samples_pass_and_empty_ones_are_nodata()
    {
        var metric = new JudgedMetric { Name = "quality" };
        Assert.That(CanaryJudge.JudgeMetric(metric, [1, 2, 3], [3, 2, 1], Defaults).Reason, Does.Contain("identical"));
        Assert.That(CanaryJudge.JudgeMetric(metric, [double.NaN], [1, 2], Defaults).Classification, Is.EqualTo(MetricClassification.Nodata));
        var replaced = CanaryJudge.JudgeMetric(new JudgedMetric { Name = "quality", NanStrategy = NanStrategy.Replace }, [double.NaN], [0.0], Defaults);
        Assert.That(replaced.Classification, Is.EqualTo(MetricClassification.Pass));
        Assert.That(replaced.ControlCount, Is.EqualTo(1));
    }

    [Test]
    public void Group_scores_are_weighted_and_classified_at_95_and_75()
    {
        MetricJudgement M(string name, string group, bool failed) => new()
        {
            Name = name, Group = group, Failed = failed, Reason = "",
            Classification = failed ? MetricClassification.High : MetricClassification.Pass,
        };
        var metrics = new[] { M("latency_ms", "speed", true), M("quality", "quality", false) };
        var equal = CanaryJudge.Score(metrics, new JudgeOptions());
        Assert.That((equal.Score, equal.Classification), Is.EqualTo((50.0, JudgeClassification.Fail)));
        var weighted = CanaryJudge.Score(metrics, new JudgeOptions { GroupWeights = new Dictionary<string, double> { ["speed"] = 20 } });
        Assert.That((weighted.Score, weighted.Classification), Is.EqualTo((80.0, JudgeClassification.Marginal)));
        var almost = CanaryJudge.Score(metrics, new JudgeOptions { GroupWeights = new Dictionary<string, double> { ["speed"] = 5 } });
        Assert.That((almost.Score, almost.Classification), Is.EqualTo((95.0, JudgeClassification.Pass)), "exactly at the pass score passes");
        Assert.That(weighted.Groups.Single(g => g.Group == "quality").Weight, Is.EqualTo(80));
    }

    [Test]
    public void A_failing_critical_metric_fails_the_whole_judgement()
    {
        var options = new JudgeOptions
        {
            Metrics = [new JudgedMetric { Name = "latency_ms", Direction = MetricDirection.Increase, Critical = true, CriticalIncrease = 1.2 },
                       new JudgedMetric { Name = "quality", Group = "q" }, new JudgedMetric { Name = "cost_cents", Group = "c" }, new JudgedMetric { Name = "tokens", Group = "t" }],
            GroupWeights = new Dictionary<string, double> { ["latency_ms"] = 1 },
        };
        var v1 = Enumerable.Range(0, 100).Select(i => Samples.Healthy(Engine.V1, TestClock.Epoch, latency: 800 + i % 20)).ToList();
        var v2 = Enumerable.Range(0, 100).Select(i => Samples.Healthy(Engine.V2, TestClock.Epoch, latency: 1200 + i % 20)).ToList();
        var result = CanaryJudge.Judge(v1, v2, options);
        Assert.That(result.Classification, Is.EqualTo(JudgeClassification.Fail));
        Assert.That(result.Score, Is.Zero);
        Assert.That(result.Reason, Does.Contain("critical: latency_ms"));
    }

    [Test]
    public void The_detector_rolls_back_on_a_failing_judge_and_holds_on_a_marginal_one()
    {
        var options = new DetectorOptions { Judge = new JudgeOptions { Metrics = [new JudgedMetric { Name = "latency_ms", Direction = MetricDirection.Increase }] } };
        var clock = new FakeTimeProvider(TestClock.Epoch);
        // p95 1219 ms is under the fixed 1600 ms threshold: only the judge sees the 50 % shift.
        var store = Samples.Store(clock, shape: (i, s) => s with { LatencyMs = 1200 + i % 20 });
        store.AddRange(Samples.Many(100, Engine.V1, clock.GetUtcNow(), (i, s) => s with { LatencyMs = 800 + i % 20 }));
        var v = new RegressionDetector(store, options, clock).Evaluate();
        Assert.That(v.Action, Is.EqualTo(VerdictAction.Rollback));
        Assert.That(v.Breaches.Single().Check, Is.EqualTo("judge"));
        Assert.That(v.Judge!.Metrics.Single().Classification, Is.EqualTo(MetricClassification.High));

        options.Judge.Metrics.Add(new JudgedMetric { Name = "quality", Group = "quality" });
        options.Judge.Metrics.Add(new JudgedMetric { Name = "cost_cents", Group = "cost" });
        options.Judge.Metrics.Add(new JudgedMetric { Name = "tokens", Group = "tokens" });
        options.Judge.GroupWeights["latency_ms"] = 10; // one failing group worth 10 % -> score 90: marginal
        var marginal = new RegressionDetector(store, options, clock).Evaluate();
        Assert.That(marginal.Judge!.Classification, Is.EqualTo(JudgeClassification.Marginal));
        Assert.That(marginal.Outcome, Is.EqualTo(VerdictOutcome.Inconclusive));
        Assert.That(marginal.Action, Is.EqualTo(VerdictAction.Hold));
    }
}
