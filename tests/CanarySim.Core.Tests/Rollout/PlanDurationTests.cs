using CanarySim.Core.Rollout;

namespace CanarySim.Core.Tests.Rollout;

public sealed class PlanDurationTests
{
    [TestCase("30s", 30)]
    [TestCase("5m", 300)]
    [TestCase("48h", 172800)]
    [TestCase("7d", 604800)]
    [TestCase("2w", 1209600)]
    [TestCase("1d12h", 129600)]
    [TestCase("1.5h", 5400)]
    public void Parses(string text, double seconds)
    {
        Assert.That(PlanDuration.TryParse(text, out var d, out _), Is.True);
        Assert.That(d.TotalSeconds, Is.EqualTo(seconds));
    }

    [TestCase("")]
    [TestCase("soon")]
    [TestCase("5 fortnights")]
    [TestCase("h5")]
    public void Rejects_with_a_reason(string text)
    {
        Assert.That(PlanDuration.TryParse(text, out _, out var why), Is.False);
        Assert.That(why, Does.Contain("expected").Or.Contain("unknown duration unit"));
    }

    [Test]
    public void Formats_largest_units_first() =>
        Assert.That(PlanDuration.Format(TimeSpan.FromHours(36) + TimeSpan.FromMinutes(5)), Is.EqualTo("1d12h5m"));
}
