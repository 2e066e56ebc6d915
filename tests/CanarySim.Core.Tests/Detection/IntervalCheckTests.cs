namespace CanarySim.Core.Tests.Detection;

public sealed class IntervalCheckTests
{
    private static string Policy(string check, int minSamples = 1) =>
        $$"""{"schema": "canarysim.policy/v2", "min_samples": {{minSamples}}, "window": {"duration": "1h"}, "checks": [{{check}}]}""";

    private const string TicketRatio =
        """{"name": "tickets", "metric": "support_ticket", "aggregate": "rate", "compare": "ratio", "max": 1.25, "confidence": 0.95, "window": {"duration": "1h"}, "action": "manual_review"}""";

    /// <summary>v1 and v2 runs with metric <paramref name="metric"/> true on the first <c>x</c> of <c>n</c> (or the given values).</summary>
    private static InMemoryMetricsStore Store(FakeTimeProvider clock, string metric, (int X, int N) v1, (int X, int N) v2)
    {
        var store = new InMemoryMetricsStore(clock);
        foreach (var (engine, (x, n)) in new[] { (Engine.V1, v1), (Engine.V2, v2) })
        {
            for (var i = 0; i < n; i++)
            {
                store.Add(Samples.Healthy(engine, clock.GetUtcNow()) with { Metrics = new Dictionary<string, double> { [metric] = i < x ? 1 : 0 } });
            }
        }
        return store;
    }

    private static Verdict Evaluate(string policyJson, InMemoryMetricsStore store, FakeTimeProvider clock) =>
        new RegressionDetector(store, PolicyLoader.Parse(policyJson, "p.json"), clock).Evaluate();

    [Test]
    public void A_ratio_breaches_only_when_the_lower_end_of_its_interval_is_above_the_bound()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        // v2 9 % of 360 vs v1 3 % of 36000: ratio 3, one-sided 95 % lower bound about 2.2 > 1.25.
        var shown = Evaluate(Policy(TicketRatio), Store(clock, "support_ticket", (1080, 36000), (32, 360)), clock);
        Assert.That(shown.Outcome, Is.EqualTo(VerdictOutcome.Fail));
        var breach = shown.Breaches.Single();
        Assert.Multiple(() =>
        {
            Assert.That(breach.Action, Is.EqualTo(VerdictAction.ManualReview));
            Assert.That(breach.Threshold, Is.EqualTo(1.25));
            Assert.That(breach.Value, Is.GreaterThan(1.25).And.LessThan(32.0 / 360 / 0.03), "the value is the interval's lower end, below the estimate");
            Assert.That(breach.Reason, Does.StartWith("tickets (V1 rate support_ticket: 0.03 of 36000, V2: 0.0889 of 360, ratio 2.963").And.Contain("95% lower bound"));
        });
    }

    [Test]
    public void An_estimate_beyond_the_bound_whose_interval_reaches_it_is_not_shown_and_passes_with_a_note()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        // 1 ticket in 15 v2 runs against 3 %: the ratio is 2.2, but 15 runs show nothing.
        var v = Evaluate(Policy(TicketRatio), Store(clock, "support_ticket", (45, 1500), (1, 15)), clock);
        var plain = Evaluate(Policy(TicketRatio.Replace("\"confidence\": 0.95, ", "", StringComparison.Ordinal)), Store(clock, "support_ticket", (45, 1500), (1, 15)), clock);
        Assert.Multiple(() =>
        {
            Assert.That(v.Outcome, Is.EqualTo(VerdictOutcome.Pass));
            Assert.That(v.Notes, Has.One.StartsWith("tickets: not shown at 95% (V1 rate support_ticket: 0.03 of 1500, V2: 0.0667 of 15, ratio 2.2222 > 1.25, but the interval"));
            Assert.That(plain.Outcome, Is.EqualTo(VerdictOutcome.Fail), "without confidence the point estimate breaches (the old behaviour)");
        });
    }

    [Test]
    public void Zero_events_in_v1_are_judged_and_zero_on_both_sides_pass_without_dividing_by_zero()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var v1Zero = Evaluate(Policy(TicketRatio), Store(clock, "support_ticket", (0, 20000), (5, 400)), clock);
        var none = Evaluate(Policy(TicketRatio), Store(clock, "support_ticket", (0, 2000), (0, 400)), clock);
        var v2Zero = Evaluate(Policy(TicketRatio), Store(clock, "support_ticket", (60, 2000), (0, 400)), clock);
        Assert.Multiple(() =>
        {
            Assert.That(v1Zero.Outcome, Is.EqualTo(VerdictOutcome.Fail), "5 tickets in 400 against none in 20000 shows a higher rate");
            Assert.That(double.IsFinite(v1Zero.Breaches.Single().Value), Is.True);
            Assert.That(none.Outcome, Is.EqualTo(VerdictOutcome.Pass));
            Assert.That(v2Zero.Outcome, Is.EqualTo(VerdictOutcome.Pass));
        });
    }

    [TestCase("increase", 0.02, 1000, 2000, 1800, 2000, VerdictOutcome.Fail)] // v1 50 % v2 90 % of 2000 runs each: increase 0.4, shown
    [TestCase("increase", 0.5, 1000, 2000, 1800, 2000, VerdictOutcome.Pass)] // 0.4 is not above 0.5
    [TestCase("drop", 0.02, 1000, 2000, 80, 100, VerdictOutcome.Pass)] // v2 80 % > v1 50 %: no drop
    [TestCase("drop", 0.02, 700, 1000, 55, 100, VerdictOutcome.Fail)] // 70 % → 55 % of 100: drop 0.15, lower end about 0.07
    [TestCase("drop", 0.02, 700, 1000, 63, 100, VerdictOutcome.Pass)] // drop 0.07 of 100 runs: not shown
    public void A_difference_of_rates_uses_newcombes_interval(string compare, double max, int x1, int n1, int x2, int n2, VerdictOutcome expected)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var check = $$"""{"name": "orders", "metric": "order_completed", "aggregate": "rate", "compare": "{{compare}}", "max": {{max}}, "confidence": 0.95, "action": "hold"}""";
        var v = Evaluate(Policy(check), Store(clock, "order_completed", (x1, n1), (x2, n2)), clock);
        Assert.That(v.Outcome, Is.EqualTo(expected), string.Join("; ", v.Breaches.Select(b => b.Reason).Concat(v.Notes)));
    }

    [Test]
    public void The_lower_end_exactly_at_the_bound_is_not_a_breach()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = Store(clock, "order_completed", (700, 1000), (55, 100));
        var z = CanarySim.Core.Judging.Normal.Quantile(0.95);
        var lower = ComparisonInterval.Difference(700, 1000, 55, 100, z).Lower;
        var check = $$"""{"name": "orders", "metric": "order_completed", "aggregate": "rate", "compare": "drop", "max": {{lower.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}, "confidence": 0.95, "action": "hold"}""";
        var below = check.Replace($"{lower:R}", $"{lower - 1e-9:R}", StringComparison.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(Evaluate(Policy(check), store, clock).Outcome, Is.EqualTo(VerdictOutcome.Pass));
            Assert.That(Evaluate(Policy(below), store, clock).Outcome, Is.EqualTo(VerdictOutcome.Fail));
        });
    }

    [Test]
    public void A_min_bound_breaches_only_when_the_upper_end_is_below_it()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var check = """{"name": "engagement", "metric": "engaged", "aggregate": "rate", "compare": "ratio", "min": 0.9, "confidence": 0.95, "action": "hold"}""";
        var shown = Evaluate(Policy(check), Store(clock, "engaged", (600, 1000), (300, 1000)), clock); // ratio 0.5
        var notShown = Evaluate(Policy(check), Store(clock, "engaged", (600, 1000), (5, 10)), clock); // 0.83 of 10 runs
        Assert.Multiple(() =>
        {
            Assert.That(shown.Breaches.Single().Reason, Does.Contain("95% upper bound").And.Contain("< 0.9"));
            Assert.That(notShown.Outcome, Is.EqualTo(VerdictOutcome.Pass));
            Assert.That(notShown.Notes, Has.One.Contains("< 0.9, but the interval"));
        });
    }

    [Test]
    public void Means_are_compared_with_their_variance()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        for (var i = 0; i < 200; i++)
        {
            store.Add(Samples.Healthy(Engine.V1, clock.GetUtcNow()) with { Metrics = new Dictionary<string, double> { ["staff_response_ms"] = 1000 + (i % 2 == 0 ? 100 : -100) } });
            store.Add(Samples.Healthy(Engine.V2, clock.GetUtcNow()) with { Metrics = new Dictionary<string, double> { ["staff_response_ms"] = 1500 + (i % 2 == 0 ? 100 : -100) } });
        }
        var ratio = """{"name": "staff", "metric": "staff_response_ms", "aggregate": "mean", "compare": "ratio", "max": 1.2, "confidence": 0.95, "action": "hold"}""";
        var drop = """{"name": "staff", "metric": "staff_response_ms", "aggregate": "mean", "compare": "increase", "max": 600, "confidence": 0.95, "action": "hold"}""";
        Assert.Multiple(() =>
        {
            Assert.That(Evaluate(Policy(ratio), store, clock).Breaches.Single().Reason, Does.StartWith("staff (V1 mean staff_response_ms: 1000 of 200, V2: 1500 of 200, ratio 1.5, 95% lower bound 1.4"));
            Assert.That(Evaluate(Policy(drop), store, clock).Outcome, Is.EqualTo(VerdictOutcome.Pass), "an increase of 500 is shown below 600: no breach");
        });
    }

    [Test]
    public void Below_min_samples_v2_is_insufficient_and_v1_has_no_baseline()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var check = TicketRatio.Replace("\"action\"", "\"min_samples\": 50, \"action\"", StringComparison.Ordinal);
        var fewV2 = Evaluate(Policy(check), Store(clock, "support_ticket", (30, 1000), (40, 49)), clock);
        var fewV1 = Evaluate(Policy(check), Store(clock, "support_ticket", (3, 49), (40, 400)), clock);
        var skip = Evaluate(Policy(check.Replace("\"action\"", "\"if_no_baseline\": \"skip\", \"action\"", StringComparison.Ordinal)), Store(clock, "support_ticket", (3, 49), (40, 400)), clock);
        Assert.Multiple(() =>
        {
            Assert.That(fewV2.Outcome, Is.EqualTo(VerdictOutcome.InsufficientData));
            Assert.That(fewV2.Notes, Has.One.EqualTo("tickets: insufficient data (V2: 49 < min_samples 50 in the last 1h)"));
            Assert.That(fewV1.Outcome, Is.EqualTo(VerdictOutcome.InsufficientData));
            Assert.That(fewV1.Notes, Has.One.EqualTo("tickets: insufficient data (V1: 49 < min_samples 50 in the last 1h)"));
            Assert.That(skip.Outcome, Is.EqualTo(VerdictOutcome.Pass));
        });
    }

    [TestCase("""{"name": "c", "metric": "m", "aggregate": "rate", "compare": "value", "max": 1, "confidence": 0.95, "action": "hold"}""", "only a check with compare drop, increase or ratio")]
    [TestCase("""{"name": "c", "metric": "m", "aggregate": "p95", "compare": "ratio", "max": 1, "confidence": 0.95, "action": "hold"}""", "aggregate rate or mean")]
    [TestCase("""{"name": "c", "metric": "m", "aggregate": "rate", "compare": "ratio", "max": 1, "baseline": 0.1, "confidence": 0.95, "action": "hold"}""", "not a fixed baseline")]
    public void Confidence_where_there_is_no_interval_is_refused_naming_the_check(string check, string message)
    {
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(Policy(check), "p.json"));
        Assert.That(ex!.Message, Does.Contain("checks[0] (c).confidence").And.Contain(message));
    }

    [TestCase(0.5)]
    [TestCase(1)]
    public void Confidence_must_lie_strictly_between_one_half_and_one(double confidence)
    {
        var check = TicketRatio.Replace("0.95", confidence.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(Policy(check), "p.json"));
        Assert.That(ex!.Message, Does.Contain("checks[0] (tickets).confidence"));
    }

    [Test]
    public void The_variance_of_a_streaming_window_equals_the_reference_after_runs_leave()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        IWindowedMetricsStore windowed = store;
        var selector = new MetricSelector("m", [], ordered: false);
        var window = WindowSpec.LastRuns(5);
        foreach (var v in new[] { 1.5, 2, 9, 4, 4, 7.25, 3 })
        {
            store.Add(Samples.Healthy(Engine.V2, clock.GetUtcNow()) with { Metrics = new Dictionary<string, double> { ["m"] = v } });
        }
        var a = windowed.Metric(Engine.V2, window, selector, clock.GetUtcNow());
        double[] last = [9, 4, 4, 7.25, 3];
        var mean = last.Average();
        Assert.That(a.Variance, Is.EqualTo(last.Sum(x => (x - mean) * (x - mean)) / 4).Within(1e-12));
        Assert.That(a, Is.EqualTo(MetricAggregates.Compute(store.LastRuns(Engine.V2, 5), selector)));
    }
}
