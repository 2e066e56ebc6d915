namespace CanarySim.Core.Tests;

/// <summary>Fails every test of the assembly with the expected shape when <c>FSCHECK_SEED</c> is set but malformed.</summary>
[SetUpFixture]
public sealed class PropertySeedCheck
{
    /// <summary>Throws when the seed cannot be replayed.</summary>
    [OneTimeSetUp]
    public void The_replay_seed_is_well_formed() => ReplayablePropertiesAttribute.SeedOrNull();
}
