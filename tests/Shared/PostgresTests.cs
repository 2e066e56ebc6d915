namespace CanarySim.Testing;

/// <summary>The run's PostgreSQL cluster for NUnit tests (linked into each test project that needs one).</summary>
internal static class PostgresTests
{
    /// <summary>
    /// The run's cluster. Where PostgreSQL is not installed the test is reported as skipped with the reason (which
    /// fails ./build.sh --target=Test: it installs postgresql as root), never passed; a cluster that is installed but
    /// does not start fails the test.
    /// </summary>
    public static PostgresCluster Cluster
    {
        get
        {
            if (PostgresCluster.NotInstalledReason is { } reason)
            {
                Assert.Ignore(reason);
            }
            return PostgresCluster.Shared;
        }
    }
}
