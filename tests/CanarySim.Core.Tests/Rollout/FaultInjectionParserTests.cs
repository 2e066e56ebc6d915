using CanarySim.Core.Routing;
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

    [TestCase("v2.latncy+40% at day 9", "unknown fault 'latncy'")]
    [TestCase("v2.latency+40%", "expected '[v1.|v2.]<what><op><amount> at <when>")]
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
}
