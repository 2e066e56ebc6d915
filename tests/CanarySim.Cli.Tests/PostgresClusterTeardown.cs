using CanarySim.Testing;

namespace CanarySim.Cli.Tests;

/// <summary>Stops the run's throwaway PostgreSQL cluster (if a test started it) once every test of the assembly is done.</summary>
[SetUpFixture]
public sealed class PostgresClusterTeardown
{
    [OneTimeTearDown]
    public void Stop_the_cluster() => PostgresCluster.StopShared();
}
