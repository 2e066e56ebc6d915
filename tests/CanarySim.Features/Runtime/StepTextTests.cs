using CanarySim.Core.Rollback;

namespace CanarySim.Features.RuntimeTests;

public sealed class StepTextTests
{
    [TestCase("1600ms", 1600)]
    [TestCase("1600 ms", 1600)]
    [TestCase("30 s", 30_000)]
    [TestCase("5 min", 300_000)]
    [TestCase("10 minutes", 600_000)]
    [TestCase("1 hour", 3_600_000)]
    [TestCase("48 hours", 172_800_000)]
    [TestCase("2 days", 172_800_000)]
    [TestCase("00:05:00", 300_000)]
    public void Durations_parse_to_timespans(string text, double expectedMs) =>
        Assert.That(StepText.ParseDuration(text).TotalMilliseconds, Is.EqualTo(expectedMs));

    [Test]
    public void Percent_keeps_the_number_as_written() =>
        Assert.Multiple(() =>
        {
            Assert.That(StepText.Convert("10%", typeof(double)), Is.EqualTo(10.0));
            Assert.That(StepText.Convert("2.5 %", typeof(decimal)), Is.EqualTo(2.5m));
            Assert.That(StepText.Convert("50%", typeof(int)), Is.EqualTo(50));
        });

    [Test]
    public void Enums_ignore_case_spaces_dashes_and_underscores() =>
        Assert.Multiple(() =>
        {
            Assert.That(StepText.Convert("rolling back", typeof(RollbackState)), Is.EqualTo(RollbackState.RollingBack));
            Assert.That(StepText.Convert("rolling_back", typeof(RollbackState)), Is.EqualTo(RollbackState.RollingBack));
            Assert.That(StepText.Convert("PAUSED", typeof(RollbackState)), Is.EqualTo(RollbackState.Paused));
        });

    [TestCase("yes", true)]
    [TestCase("enabled", true)]
    [TestCase("off", false)]
    [TestCase("False", false)]
    public void Booleans_read_plain_words(string text, bool expected) =>
        Assert.That(StepText.Convert(text, typeof(bool)), Is.EqualTo(expected));

    [Test]
    public void Bad_values_say_what_was_expected()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => StepText.Convert("ten", typeof(int)), Throws.TypeOf<FormatException>().With.Message.Contains("expected a whole number but got \"ten\""));
            Assert.That(() => StepText.Convert("blue", typeof(RollbackState)), Throws.TypeOf<FormatException>().With.Message.Contains("one of active, paused, rollingback, rolledback"));
            Assert.That(() => StepText.Convert("5 fortnights", typeof(TimeSpan)), Throws.TypeOf<FormatException>().With.Message.Contains("expected a duration"));
            Assert.That(() => StepText.Convert("x", typeof(Uri)), Throws.TypeOf<FormatException>().With.Message.Contains("StepArgumentTransformation"));
        });
    }

    [Test]
    public void Nullable_empty_is_null() =>
        Assert.That(StepText.Convert(" ", typeof(int?)), Is.Null);
}
