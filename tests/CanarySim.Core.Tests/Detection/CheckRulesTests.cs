namespace CanarySim.Core.Tests.Detection;

/// <summary>The rules a declared check must follow, each refused with a message naming the check and the field.</summary>
public sealed class CheckRulesTests
{
    private static CheckDefinition Check(string name = "latency") =>
        new() { Name = name, Metric = "latency_ms", Aggregate = CheckAggregate.Mean, Compare = CheckCompare.Value, Max = 100, Action = VerdictAction.Rollback };

    private static IReadOnlyList<string> Errors(params CheckDefinition[] checks) =>
        new DetectorOptions { Checks = checks }.Validate().Where(e => e.StartsWith("Checks[", StringComparison.Ordinal)).ToList();

    [Test]
    public void A_valid_check_has_no_error()
    {
        Assert.That(Errors(Check(), Check("b") with { Max = null, Min = 0, MinSamples = 0, FailureLimit = 0, InconclusiveLimit = 0, ConsecutiveErrorLimit = 0 }), Is.Empty);
    }

    [Test]
    public void Each_broken_rule_is_named()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Errors(Check(" ")), Is.EqualTo(new[] { "Checks[0].Name: must not be empty." }));
            Assert.That(Errors(Check() with { Max = null }), Is.EqualTo(new[] { "Checks[0] (latency).Max: a check needs max, min or both." }));
            Assert.That(Errors(Check() with { Max = double.NaN }), Is.EqualTo(new[] { "Checks[0] (latency).Max: must be a finite number." }));
            Assert.That(Errors(Check() with { Min = double.PositiveInfinity }), Is.EqualTo(new[] { "Checks[0] (latency).Min: must be a finite number." }));
            Assert.That(Errors(Check() with { Baseline = double.NegativeInfinity }), Is.EqualTo(new[] { "Checks[0] (latency).Baseline: must be a finite number." }));
            Assert.That(Errors(Check() with { Source = new CheckSource(" ") }), Is.EqualTo(new[] { "Checks[0] (latency).Source: expected {\"prometheus\": \"<query>\"}." }));
            foreach (var bad in new[] { Check() with { MinSamples = -1 }, Check() with { FailureLimit = -1 }, Check() with { InconclusiveLimit = -1 }, Check() with { ConsecutiveErrorLimit = -1 } })
            {
                Assert.That(Errors(bad), Is.EqualTo(new[] { "Checks[0] (latency).MinSamples: min_samples and the limits must be 0 or more." }));
            }
            foreach (var confidence in new[] { 0.5, 1.0, 0.2 })
            {
                Assert.That(Errors(Check() with { Compare = CheckCompare.Drop, Confidence = confidence }), Is.EqualTo(new[] { "Checks[0] (latency).Confidence: must be above 0.5 and below 1 (e.g. 0.95)." }), confidence.ToString());
            }
            Assert.That(Errors(Check() with { Compare = CheckCompare.Drop, Confidence = 0.51 }), Is.Empty);
            Assert.That(Errors(Check() with { Compare = CheckCompare.Drop, Confidence = 0.99 }), Is.Empty);
            Assert.That(Errors(Check() with { Sustain = TimeSpan.FromSeconds(-1) }), Is.EqualTo(new[] { "Checks[0] (latency).Sustain: must not be negative." }));
        });
    }

    [Test]
    public void A_judge_check_needs_no_bounds_but_cannot_read_a_source()
    {
        var judge = Check() with { Compare = CheckCompare.Judge, Max = null, Min = null };
        Assert.Multiple(() =>
        {
            Assert.That(Errors(judge), Is.Empty, "the judge's bounds only pick the direction");
            Assert.That(Errors(judge with { Source = new CheckSource("latency_p95") }),
                Is.EqualTo(new[] { "Checks[0] (latency).Source: the judge compares sample values and cannot read an external source." }));
            Assert.That(Errors(Check() with { Source = new CheckSource("latency_p95") }), Is.Empty, "a value check may read a source");
        });
    }

    [Test]
    public void A_confidence_interval_is_refused_on_what_it_cannot_compare_naming_why()
    {
        var relative = Check() with { Compare = CheckCompare.Drop, Confidence = 0.95 };
        Assert.Multiple(() =>
        {
            Assert.That(Errors(relative), Is.Empty);
            Assert.That(Errors(relative with { Compare = CheckCompare.Value }),
                Is.EqualTo(new[] { "Checks[0] (latency).Confidence: only a check with compare drop, increase or ratio has an interval." }));
            Assert.That(Errors(relative with { Aggregate = CheckAggregate.P95 }),
                Is.EqualTo(new[] { "Checks[0] (latency).Confidence: an interval needs aggregate rate or mean (for other aggregates use compare judge)." }));
            Assert.That(Errors(relative with { Source = new CheckSource("latency_mean") }),
                Is.EqualTo(new[] { "Checks[0] (latency).Confidence: an interval compares v1's and v2's runs, not an external source." }));
            Assert.That(Errors(relative with { Baseline = 90 }),
                Is.EqualTo(new[] { "Checks[0] (latency).Confidence: an interval compares v1's and v2's runs, not a fixed baseline." }));
        });
    }
}
