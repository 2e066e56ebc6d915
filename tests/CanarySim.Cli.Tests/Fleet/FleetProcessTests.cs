using CanarySim.Testing;
using Npgsql;

namespace CanarySim.Cli.Tests.Fleet;

/// <summary>
/// Real <c>canarysim serve</c> processes sharing one store while routing load runs and the kill switch flips on
/// random instances: every flip reaches every live instance, no decision is torn, a SIGKILLed instance leaves
/// the others serving and loses no acknowledged change. (The numbers at full load: the Bench target's fleet run.)
/// </summary>
[TestFixture]
[NonParallelizable] // several server processes: keep them off the other tests' cores
public sealed class FleetProcessTests : TestFolder
{
    [Test]
    public async Task Three_instances_on_postgresql_see_every_flip_without_torn_decisions_and_survive_a_sigkill()
    {
        var options = new FleetRunOptions(Cli(), PostgresTests.Cluster.CreateDatabase("fleet"), null, Instances: 3, Flips: 8, Rate: 200, KillAfterFlip: 4);
        var result = await FleetRun.RunAsync(options, TestContext.Progress);
        NpgsqlConnection.ClearAllPools();
        AssertHealthy(result, options);
    }

    [Test]
    public async Task Two_instances_on_one_sqlite_file_see_every_flip_without_torn_decisions_and_survive_a_sigkill()
    {
        var options = new FleetRunOptions(Cli(), null, Path.Combine(Dir, "fleet.db"), Instances: 2, Flips: 6, Rate: 200, KillAfterFlip: 4);
        var result = await FleetRun.RunAsync(options, TestContext.Progress);
        AssertHealthy(result, options);
    }

    private static void AssertHealthy(FleetRunResult result, FleetRunOptions options)
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.FlipsNotPropagated, Is.Zero);
            Assert.That(result.PropagationMs, Has.Count.EqualTo(options.Flips));
            Assert.That(result.TornDecisions, Is.Zero);
            Assert.That(result.FailedDecisions, Is.Zero);
            Assert.That(result.Decisions, Is.GreaterThan(options.Flips * options.Instances), "the load ran");
            Assert.That(result.Killed, Is.Not.Null);
            Assert.That(result.AcknowledgedVersions, Has.Count.EqualTo(options.Flips + 1));
            Assert.That(result.MissingFromHistory, Is.Empty, "every acknowledged change is in the history");
        });
    }

    private static string Cli() => Path.Combine(AppContext.BaseDirectory, "canarysim.dll");
}
