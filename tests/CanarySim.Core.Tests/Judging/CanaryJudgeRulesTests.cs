using CanarySim.Core.Judging;
using CanarySim.Core.Tests.Detection;

namespace CanarySim.Core.Tests.Judging;

/// <summary>The judge's rules each on their own: direction, allowed and critical bounds both ways, no-data groups, weights, the reason text and the options' validation.</summary>
public sealed class CanaryJudgeRulesTests
{
    private static readonly JudgeOptions Defaults = new();

    // 100 values spread evenly over center-10 .. center+9 (mean center - 0.5).
    private static double[] Spread(double center, int n = 100) => Enumerable.Range(0, n).Select(i => center + (i % 20) - 10).ToArray();

    private static MetricJudgement Judge(JudgedMetric metric, double control, double experiment) =>
        CanaryJudge.JudgeMetric(metric, Spread(control), Spread(experiment), Defaults);

    [Test]
    public void A_decrease_only_metric_fails_low_and_passes_high()
    {
        var quality = new JudgedMetric { Name = "quality", Direction = MetricDirection.Decrease };

        var lower = Judge(quality, 900, 600);
        var higher = Judge(quality, 600, 900);

        Assert.That((lower.Classification, lower.Failed), Is.EqualTo((MetricClassification.Low, true)));
        Assert.That((higher.Classification, higher.Failed), Is.EqualTo((MetricClassification.High, false)));
    }

    [Test]
    public void An_allowed_decrease_tolerates_a_drop_down_to_it_and_no_further()
    {
        // v2/v1 = 599.5 / 899.5 = 0.666
        var tolerant = Judge(new JudgedMetric { Name = "quality", AllowedDecrease = 0.6 }, 900, 600);
        var strict = Judge(new JudgedMetric { Name = "quality", AllowedDecrease = 0.7 }, 900, 600);

        Assert.That((tolerant.Classification, tolerant.Failed), Is.EqualTo((MetricClassification.Pass, false)));
        Assert.That((strict.Classification, strict.Failed), Is.EqualTo((MetricClassification.Low, true)));
    }

    [Test]
    public void An_effect_exactly_at_the_allowed_increase_is_not_high()
    {
        var control = Spread(800);
        var experiment = control.Select(v => v * 1.5).ToArray();

        var atBound = CanaryJudge.JudgeMetric(new JudgedMetric { Name = "latency_ms", AllowedIncrease = 1.5 }, control, experiment, Defaults);
        var below = CanaryJudge.JudgeMetric(new JudgedMetric { Name = "latency_ms", AllowedIncrease = 1.49 }, control, experiment, Defaults);

        Assert.That(atBound.EffectSize, Is.EqualTo(1.5).Within(1e-12));
        Assert.That(atBound.Classification, Is.EqualTo(MetricClassification.Pass), "strict: the effect must exceed the allowed increase");
        Assert.That(below.Classification, Is.EqualTo(MetricClassification.High));
    }

    [Test]
    public void A_critical_metric_fails_critically_only_past_its_critical_bound_either_way()
    {
        var up = Judge(new JudgedMetric { Name = "latency_ms", Critical = true, CriticalIncrease = 1.4 }, 800, 1200);
        var upNotCritical = Judge(new JudgedMetric { Name = "latency_ms", Critical = true, CriticalIncrease = 1.6 }, 800, 1200);
        var down = Judge(new JudgedMetric { Name = "quality", Critical = true, CriticalDecrease = 0.7 }, 900, 600);
        var downNotCritical = Judge(new JudgedMetric { Name = "quality", Critical = true, CriticalDecrease = 0.6 }, 900, 600);
        var notMarked = Judge(new JudgedMetric { Name = "latency_ms", CriticalIncrease = 1.1 }, 800, 1200);

        Assert.That(new[] { up, upNotCritical, down, downNotCritical, notMarked }.Select(m => (m.Failed, m.CriticalFailure)),
            Is.EqualTo(new[] { (true, true), (true, false), (true, true), (true, false), (true, false) }));
        Assert.That(up.Critical && !notMarked.Critical, Is.True);
    }

    [Test]
    public void A_passing_direction_is_never_a_critical_failure()
    {
        var m = Judge(new JudgedMetric { Name = "quality", Direction = MetricDirection.Increase, Critical = true, CriticalDecrease = 0.9 }, 900, 600);

        Assert.That((m.Classification, m.Failed, m.CriticalFailure), Is.EqualTo((MetricClassification.Low, false, false)));
    }

    [Test]
    public void A_control_mean_of_zero_has_no_effect_size_and_the_interval_alone_decides()
    {
        var control = Enumerable.Repeat(0.0, 50).Concat(Enumerable.Repeat(1.0, 50).Select(v => -v)).Concat(Enumerable.Repeat(1.0, 50)).ToArray();
        var experiment = control.Select(v => v + 5).ToArray();

        var m = CanaryJudge.JudgeMetric(new JudgedMetric { Name = "tokens", AllowedIncrease = 100 }, control, experiment, Defaults);

        Assert.That(m.EffectSize, Is.Null);
        Assert.That(m.Classification, Is.EqualTo(MetricClassification.High), "no effect size to compare with the allowed increase");
        Assert.That(m.Reason, Does.EndWith("effect size: n/a)"));
    }

    [Test]
    public void Replacing_nan_by_zero_keeps_every_other_value()
    {
        var control = new[] { double.NaN }.Concat(Spread(800)).ToArray();

        var m = CanaryJudge.JudgeMetric(new JudgedMetric { Name = "latency_ms", NanStrategy = NanStrategy.Replace }, control, Spread(1200), Defaults);

        Assert.That((m.ControlCount, m.ExperimentCount), Is.EqualTo((101, 100)));
        Assert.That(m.EffectSize, Is.EqualTo(1199.5 / (79950.0 / 101)).Within(1e-12), "v1 mean = (0 + 100 values of mean 799.5) / 101");
    }

    [Test]
    public void The_reason_of_a_metric_states_the_test_and_the_band()
    {
        var m = Judge(new JudgedMetric { Name = "latency_ms" }, 800, 1200);

        Assert.That(m.Reason, Is.EqualTo($"latency_ms: high (U: 10000, p: 0, shift: 400 in [{m.CiLower:0.###}, {m.CiUpper:0.###}], tolerance ±100, effect size: 1.5)"));
        Assert.That((m.ControlCount, m.ExperimentCount, m.Group), Is.EqualTo((100, 100, "latency_ms")));
    }

    [Test]
    public void No_data_on_either_side_is_nodata_naming_the_counts()
    {
        var metric = new JudgedMetric { Name = "quality", Group = "q" };

        var noV2 = CanaryJudge.JudgeMetric(metric, [1, 2], [double.NaN], Defaults);
        var noV1 = CanaryJudge.JudgeMetric(metric, [], [1, 2, 3], Defaults);

        Assert.That((noV2.Classification, noV2.Failed, noV2.Reason), Is.EqualTo((MetricClassification.Nodata, false, "quality: no data (v1: 2, v2: 0 values)")));
        Assert.That((noV1.Classification, noV1.Reason, noV1.Group), Is.EqualTo((MetricClassification.Nodata, "quality: no data (v1: 0, v2: 3 values)", "q")));
    }

    [Test]
    public void A_group_of_only_nodata_metrics_scores_100_and_counts_no_metric()
    {
        MetricJudgement M(string name, MetricClassification c, bool failed) => new() { Name = name, Group = name, Classification = c, Failed = failed, Reason = "" };

        var result = CanaryJudge.Score([M("quality", MetricClassification.Nodata, false), M("latency_ms", MetricClassification.High, true)], Defaults);

        Assert.That(result.Groups.Select(g => (g.Group, g.Score, g.Metrics)), Is.EqualTo(new[] { ("quality", 100.0, 0), ("latency_ms", 0.0, 1) }));
        Assert.That(result.Score, Is.EqualTo(50));
        Assert.That(result.Reason, Is.EqualTo("score 50 (fail: pass >= 95, marginal >= 75); failed: latency_ms high"));
    }

    [Test]
    public void Score_with_no_weight_anywhere_is_100_and_explicit_weights_over_100_leave_nothing_for_the_others()
    {
        MetricJudgement M(string name, bool failed) => new() { Name = name, Group = name, Classification = failed ? MetricClassification.High : MetricClassification.Pass, Failed = failed, Reason = "" };
        var metrics = new[] { M("latency_ms", true), M("quality", false) };

        var zero = CanaryJudge.Score(metrics, new JudgeOptions { GroupWeights = new Dictionary<string, double> { ["latency_ms"] = 0, ["quality"] = 0 } });
        var over = CanaryJudge.Score(metrics, new JudgeOptions { GroupWeights = new Dictionary<string, double> { ["latency_ms"] = 120 } });
        var marginalAtBound = CanaryJudge.Score(metrics, new JudgeOptions { GroupWeights = new Dictionary<string, double> { ["latency_ms"] = 25, ["quality"] = 75 } });

        Assert.That((zero.Score, zero.Classification), Is.EqualTo((100.0, JudgeClassification.Pass)));
        Assert.That(over.Groups.Single(g => g.Group == "quality").Weight, Is.Zero);
        Assert.That((over.Score, over.Classification), Is.EqualTo((0.0, JudgeClassification.Fail)));
        Assert.That((marginalAtBound.Score, marginalAtBound.Classification), Is.EqualTo((75.0, JudgeClassification.Marginal)), "exactly at the marginal score is marginal");
    }

    [Test]
    public void A_critical_failure_zeroes_the_score_and_is_named_in_the_reason()
    {
        var metrics = new MetricJudgement[]
        {
            new() { Name = "latency_ms", Group = "speed", Classification = MetricClassification.High, Failed = true, Critical = true, CriticalFailure = true, Reason = "" },
            new() { Name = "quality", Group = "quality", Classification = MetricClassification.Pass, Failed = false, Reason = "" },
        };

        var result = CanaryJudge.Score(metrics, new JudgeOptions { GroupWeights = new Dictionary<string, double> { ["speed"] = 1 } });

        Assert.That((result.Score, result.Classification), Is.EqualTo((0.0, JudgeClassification.Fail)));
        Assert.That(result.Reason, Is.EqualTo("score 0 (fail: pass >= 95, marginal >= 75); failed: latency_ms high; critical: latency_ms"));
    }

    [Test]
    public void The_judge_reads_custom_metrics_and_skips_samples_without_them()
    {
        var at = TestClock.Epoch;
        var v1 = Enumerable.Range(0, 60).Select(i => Samples.Healthy(Engine.V1, at) with { Metrics = i < 50 ? new Dictionary<string, double> { ["retries"] = i % 5 } : null }).ToList();
        var v2 = Enumerable.Range(0, 40).Select(i => Samples.Healthy(Engine.V2, at) with { Metrics = new Dictionary<string, double> { ["retries"] = 20 + i % 5 } }).ToList();

        var result = CanaryJudge.Judge(v1, v2, new JudgeOptions { Metrics = [new JudgedMetric { Name = "retries", Direction = MetricDirection.Increase }] });

        var m = result.Metrics.Single();
        Assert.That((m.ControlCount, m.ExperimentCount, m.Classification, m.Failed), Is.EqualTo((50, 40, MetricClassification.High, true)));
        Assert.That(result.Classification, Is.EqualTo(JudgeClassification.Fail));
    }

    [Test]
    public void Judging_needs_its_arguments()
    {
        var metric = new JudgedMetric { Name = "quality" };
        Assert.Multiple(() =>
        {
            Assert.That(() => CanaryJudge.Judge(null!, [], Defaults), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("control"));
            Assert.That(() => CanaryJudge.Judge([], null!, Defaults), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("experiment"));
            Assert.That(() => CanaryJudge.Judge([], [], null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("options"));
            Assert.That(() => CanaryJudge.JudgeMetric(null!, [1], [1], Defaults), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("metric"));
            Assert.That(() => CanaryJudge.JudgeMetric(metric, [1], [1], null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("options"));
            Assert.That(() => CanaryJudge.Score(null!, Defaults), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("metrics"));
            Assert.That(() => CanaryJudge.Score([], null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("options"));
        });
    }

    [Test]
    public void Default_options_are_valid_and_judge_nothing()
    {
        Assert.That(Defaults.Validate(), Is.Empty);
        Assert.That(Defaults.Enabled, Is.False);
        Assert.That(new JudgeOptions { Metrics = [new JudgedMetric { Name = "latency_ms" }] }.Enabled, Is.True);
    }

    [Test]
    public void Validation_names_every_bad_option()
    {
        var options = new JudgeOptions
        {
            Confidence = 0.4,
            PassScore = 70,
            MarginalScore = 80,
            Metrics = [new JudgedMetric { Name = "latency_ms", AllowedIncrease = 0.5 }, new JudgedMetric { Name = "latency" }],
            GroupWeights = new Dictionary<string, double> { ["speed"] = -1, ["q"] = double.NaN, ["ok"] = 0 },
        };

        var errors = options.Validate();

        Assert.That(errors, Has.Count.EqualTo(6), string.Join("\n", errors));
        Assert.That(errors, Has.One.StartWith("Confidence: "));
        Assert.That(errors, Has.One.EqualTo("MarginalScore: must not exceed PassScore (80 > 70)."));
        Assert.That(errors, Has.One.StartWith("Metrics[0].AllowedIncrease: "));
        Assert.That(errors, Has.One.EqualTo("Metrics[1].Name: unknown metric 'latency', expected one of latency_ms, quality, cost_cents, tokens."));
        Assert.That(errors, Has.One.EqualTo("GroupWeights[speed]: must be a non-negative number, got -1."));
        Assert.That(errors, Has.One.EqualTo("GroupWeights[q]: must be a non-negative number, got NaN."));
    }

    [Test]
    public void Marginal_equal_to_pass_is_valid()
    {
        Assert.That(new JudgeOptions { PassScore = 80, MarginalScore = 80 }.Validate(), Is.Empty);
    }

    [Test]
    public void A_clone_shares_nothing_with_the_original()
    {
        var original = new JudgeOptions
        {
            Confidence = 0.9, Tolerance = 0.5, PassScore = 90, MarginalScore = 60,
            Metrics = [new JudgedMetric { Name = "quality", Group = "q", Critical = true }],
            GroupWeights = new Dictionary<string, double> { ["q"] = 10 },
        };

        var clone = original.Clone();
        clone.Metrics[0].Critical = false;
        clone.Metrics.Add(new JudgedMetric { Name = "tokens" });
        clone.GroupWeights["q"] = 20;

        Assert.That((clone.Confidence, clone.Tolerance, clone.PassScore, clone.MarginalScore), Is.EqualTo((0.9, 0.5, 90.0, 60.0)));
        Assert.That((original.Metrics.Count, original.Metrics[0].Critical, original.Metrics[0].Group, original.GroupWeights["q"]), Is.EqualTo((1, true, "q", 10.0)));
        Assert.That((clone.Metrics[0].Name, clone.Metrics[0].Group), Is.EqualTo(("quality", "q")));
    }
}
