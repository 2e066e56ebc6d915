namespace CanarySim;

/// <summary>
/// Fails every test of the assembly with the expected shape when <c>FSCHECK_SEED</c> is set but malformed (in the
/// namespace <c>CanarySim</c>, so it is set up for every test project's tests below it).
/// </summary>
[SetUpFixture]
public sealed class PropertySeedCheck
{
    /// <summary>Throws when the seed cannot be used.</summary>
    [OneTimeSetUp]
    public void The_replay_seed_is_well_formed() =>
        Testing.ReplayablePropertiesAttribute.Seed(Environment.GetEnvironmentVariable(Testing.ReplayablePropertiesAttribute.SeedVariable));
}
