using CanarySim.Harness.Simulation;

namespace CanarySim.Core.Tests.Rollout;

public sealed class FaultInjectionParserTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 16, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void Latency_drift_at_a_day()
    {
        var f = FaultInjectionParser.Parse("v2.latency+40% at day 9", Start);
        Assert.Multiple(() =>
        {
            Assert.That(f.Kind, Is.EqualTo(FaultKind.Latency));
            Assert.That(f.Engine, Is.EqualTo(Engine.V2));
            Assert.That(f.Factor, Is.EqualTo(1.4).Within(1e-12));
            Assert.That(f.At, Is.EqualTo(TimeSpan.FromDays(9)));
            Assert.That(f.For, Is.Null);
            Assert.That(f.ActiveAt(TimeSpan.FromDays(30)), Is.True);
        });
    }

    [TestCase("v2.errors=20% at day 10 for 2h", FaultKind.Errors, 0.2)]
    [TestCase("timeouts=5% at 36h for 30m", FaultKind.Timeouts, 0.05)]
    [TestCase("fallbacks=30% at day 9 for 1h", FaultKind.Fallbacks, 0.3)]
    [TestCase("v2.policy_violations=1% at week 2", FaultKind.PolicyViolations, 0.01)]
    [TestCase("complaints=20/h at day 4 for 2h", FaultKind.Complaints, 20)]
    public void Rates(string text, FaultKind kind, double rate)
    {
        var f = FaultInjectionParser.Parse(text, Start);
        Assert.That(f.Kind, Is.EqualTo(kind));
        Assert.That(f.Rate, Is.EqualTo(rate).Within(1e-12));
    }

    [Test]
    public void Cost_quality_single_violation_auth_and_absolute_times()
    {
        Assert.That(FaultInjectionParser.Parse("v2.cost x4 at 12d", Start).Factor, Is.EqualTo(4));
        Assert.That(FaultInjectionParser.Parse("v2.latency+800ms at day 1", Start).Add, Is.EqualTo(800));
        Assert.That(FaultInjectionParser.Parse("v2.quality-10 at day 20", Start).Add, Is.EqualTo(-10));
        Assert.That(FaultInjectionParser.Parse("v2.policy_violation at day 15", Start).Once, Is.True);
        var auth = FaultInjectionParser.Parse("metrics.auth at day 3 for 30m", Start);
        Assert.That((auth.Kind, auth.For), Is.EqualTo((FaultKind.MetricsAuth, (TimeSpan?)TimeSpan.FromMinutes(30))));
        Assert.That(FaultInjectionParser.Parse("v1.latency*2 at 2026-02-17T06:00:00Z", Start).At, Is.EqualTo(TimeSpan.FromHours(30)));
        Assert.That(FaultInjectionParser.Parse("v1.latency*2 at day 1", Start).Engine, Is.EqualTo(Engine.V1));
    }

    [TestCase("v2.errors=20% for SICK_CALLER at day 9", "'for SICK_CALLER' (one agent's runs) applies to application metrics")]
    [TestCase("v2.llm_call=135% at day 9", "between 0 and 100 %")]
    [TestCase("v2.staff_response_ms+300ms at day 9", "a metric amount is a plain number or a percentage")]
    [TestCase("v1.stall at day 9", "'stall' is v2's execution pipeline")]
    [TestCase("v2.stall=5% at day 9", "takes no amount")]
    [TestCase("v2.llm_call=35% for 2h at day 2", "[for <agent>]")]
    [TestCase("v2.latency+40%", "expected '[v1.|v2.]<what><op><amount> [for <agent>] at <when>")]
    [TestCase("v2.latency at day 9", "needs an amount")]
    [TestCase("v2.errors=140% at day 9", "between 0 and 100 %")]
    [TestCase("v2.errors+5 at day 9", "takes a share")]
    [TestCase("v2.latency+40% at tuesday", "expected 'day N'")]
    [TestCase("v2.latency+40% at day 9 for ever", "for ever")]
    [TestCase("v2.latency+40% at 2020-01-01T00:00:00Z", "before the plan start")]
    public void Parse_errors_say_what_was_expected(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => FaultInjectionParser.Parse(text, Start))!;
        Assert.That(ex.Message, Does.Contain(expected));
        Assert.That(ex.Message, Does.Contain(text.Split(' ')[0]));
    }

    [Test]
    public void An_application_metric_on_a_share_of_one_agents_runs()
    {
        var f = FaultInjectionParser.Parse("v2.llm_call=35% for SICK_CALLER at day 2 for 6h", Start);
        Assert.Multiple(() =>
        {
            Assert.That(f.Kind, Is.EqualTo(FaultKind.Metric));
            Assert.That(f.Metric, Is.EqualTo("llm_call"));
            Assert.That(f.Agent, Is.EqualTo("SICK_CALLER"));
            Assert.That(f.Share, Is.True);
            Assert.That(f.Rate, Is.EqualTo(0.35).Within(1e-12));
            Assert.That(f.Value, Is.EqualTo(1));
            Assert.That(f.At, Is.EqualTo(TimeSpan.FromDays(2)));
            Assert.That(f.For, Is.EqualTo(TimeSpan.FromHours(6)));
            Assert.That(f.Describe(), Is.EqualTo("v2 llm_call (SICK_CALLER) 35 % of runs"));
        });
    }

    [Test]
    public void Metric_values_scales_shifts_single_runs_and_a_stall()
    {
        var set = FaultInjectionParser.Parse("v2.tokens=4500 at 36h for 5m", Start);
        var scaled = FaultInjectionParser.Parse("v2.staff_response_ms+25% at day 3", Start);
        var times = FaultInjectionParser.Parse("v1.satisfaction*0.9 at day 3", Start);
        var shifted = FaultInjectionParser.Parse("v2.satisfaction-0.4 at day 3", Start);
        var once = FaultInjectionParser.Parse("v2.anomaly at day 2", Start);
        var stall = FaultInjectionParser.Parse("v2.stall at day 3 for 2h", Start);
        Assert.Multiple(() =>
        {
            Assert.That((set.Metric, set.Value, set.Share, set.At), Is.EqualTo(("tokens", (double?)4500, false, TimeSpan.FromHours(36))));
            Assert.That((scaled.Factor, scaled.Value), Is.EqualTo((1.25, (double?)null)));
            Assert.That((times.Engine, times.Factor), Is.EqualTo((Engine.V1, 0.9)));
            Assert.That(shifted.Add, Is.EqualTo(-0.4).Within(1e-12));
            Assert.That((once.Once, once.Value, once.Metric), Is.EqualTo((true, (double?)1, "anomaly")));
            Assert.That((stall.Kind, stall.For), Is.EqualTo((FaultKind.Stall, (TimeSpan?)TimeSpan.FromHours(2))));
        });
    }

    [Test]
    public void A_metric_nothing_knows_is_refused_with_the_closest_name()
    {
        var typo = FaultInjectionParser.Parse("v2.latncy+40% at day 9", Start);
        var ex = Assert.Throws<FormatException>(() => FaultInjectionParser.Check([typo], ["llm_call"]))!;
        Assert.That(ex.Message, Does.Contain("cannot read injection 'v2.latncy+40% at day 9': unknown fault or metric 'latncy' (did you mean 'latency'?)"));
        Assert.That(ex.Message, Does.Contain("metrics of this plan and policy: llm_call, tokens"));
        var llm = FaultInjectionParser.Parse("v2.llm_calls=35% at day 2", Start);
        Assert.That(Assert.Throws<FormatException>(() => FaultInjectionParser.Check([llm], ["llm_call"]))!.Message, Does.Contain("did you mean 'llm_call'?"));
        Assert.DoesNotThrow(() => FaultInjectionParser.Check([FaultInjectionParser.Parse("v2.llm_call=35% at day 2", Start), FaultInjectionParser.Parse("v2.tokens=4500 at day 2", Start)], ["llm_call"]));
    }
}
