using CanarySim.Testing;

namespace CanarySim.Core.Tests;

/// <summary>Which seed FsCheck properties run with, from the value of <c>FSCHECK_SEED</c>.</summary>
[TestFixture]
public sealed class PropertySeedTests
{
    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void Unset_every_run_uses_the_fixed_seed(string? variable) =>
        Assert.That(ReplayablePropertiesAttribute.Seed(variable), Is.EqualTo(ReplayablePropertiesAttribute.DefaultSeed));

    [TestCase("random")]
    [TestCase(" Random ")]
    public void Random_draws_a_fresh_seed_per_property(string variable) =>
        Assert.That(ReplayablePropertiesAttribute.Seed(variable), Is.Null);

    [TestCase("10029151229773100609,12363484787741372395", "10029151229773100609,12363484787741372395")]
    [TestCase(" (12345, 67891) ", "(12345, 67891)")]
    [TestCase("12345,67891,40", "12345,67891,40")]
    public void A_printed_pair_replays_that_run(string variable, string replay) =>
        Assert.That(ReplayablePropertiesAttribute.Seed(variable), Is.EqualTo(replay));

    [TestCase("12345")]
    [TestCase("seed,gamma")]
    [TestCase("fresh")]
    public void Anything_else_is_refused_with_the_expected_shape(string variable) =>
        Assert.That(() => ReplayablePropertiesAttribute.Seed(variable), Throws.ArgumentException.With.Message.EqualTo(
            $"FSCHECK_SEED='{variable}': expected 'seed,gamma' as printed by a failing property, e.g. 12345,67891 or (12345,67891), or 'random' for a fresh seed per property."));

    [Test]
    public void The_fixed_seed_has_the_shape_fsCheck_replays() =>
        Assert.That(ReplayablePropertiesAttribute.Seed(ReplayablePropertiesAttribute.DefaultSeed), Is.EqualTo(ReplayablePropertiesAttribute.DefaultSeed));
}
