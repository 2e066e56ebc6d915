namespace CanarySim.Service.Tests.Infrastructure;

/// <summary>
/// A fresh in-process guard service for every test (real router, guard and SQLite store in its own
/// temp folder), disposed after it. A fixture overrides <see cref="Configure"/> for its settings.
/// </summary>
public abstract class GuardHostFixture
{
    /// <summary>The service of the running test.</summary>
    protected GuardHost Host { get; private set; } = null!;

    /// <summary>Configuration overrides (<c>Guard:…</c> keys); none by default.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    [SetUp]
    public void StartHost() => Host = new GuardHost(Configure);

    [TearDown]
    public void StopHost() => Host.Dispose();
}
