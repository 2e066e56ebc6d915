using CanarySim.Core.Tests.Detection;
using CanarySim.Storage.Postgres;
using CanarySim.Storage.Sqlite;
using CanarySim.Testing;
using Npgsql;

namespace CanarySim.Core.Tests.Storage;

/// <summary>
/// What a fleet on PostgreSQL relies on besides the store contract: the LISTEN/NOTIFY watcher (a change is
/// heard at once; a dropped connection is reported and reconnected with backoff, and what changed meanwhile is
/// read on reconnect) and the leader locks (advisory lock; on SQLite a lock file).
/// </summary>
public sealed class PostgresFleetPrimitivesTests
{
    /// <summary>How long a wait for the server may take before it fails the test: a failure guard only (the normal case takes milliseconds).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private string _connectionString = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void SetUp()
    {
        _connectionString = PostgresTests.Cluster.CreateDatabase("fleet");
        _clock = new FakeTimeProvider(TestClock.Epoch);
    }

    [TearDown]
    public void TearDown() => NpgsqlConnection.ClearAllPools();

    [Test]
    public void A_change_committed_by_another_instance_is_heard_through_notify_without_polling()
    {
        using var writer = PostgresStore.Open(_connectionString, _clock);
        using var reader = PostgresStore.Open(_connectionString, _clock);
        using var watcher = reader.CreateWatcher();
        var seen = new Signal<VersionedSettings>();
        watcher.Changed += seen.Set;
        watcher.Start();
        Assert.That(seen.Wait(Bound).Version, Is.EqualTo(0), "on connecting it reports what is stored");
        Assert.That(watcher.Health, Is.EqualTo(SettingsStoreHealth.Ok));

        writer.Settings.Commit(latest => Kill(latest));

        // the fake clock never moves: only the notification can deliver it
        var heard = seen.Wait(Bound);
        Assert.Multiple(() =>
        {
            Assert.That(heard.Version, Is.EqualTo(1));
            Assert.That(heard.Settings.KillSwitch, Is.True);
            Assert.That(watcher.Connects, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_dropped_connection_is_reported_then_reconnected_with_backoff_and_the_change_made_meanwhile_is_read()
    {
        using var writer = PostgresStore.Open(_connectionString, _clock);
        var options = new PostgresStoreOptions { ReconnectMinDelay = TimeSpan.FromSeconds(1), ReconnectMaxDelay = TimeSpan.FromSeconds(4) };
        using var reader = PostgresStore.Open(_connectionString, _clock, options);
        using var watcher = reader.CreateWatcher();
        var seen = new Signal<VersionedSettings>();
        var health = new Signal<SettingsStoreHealth>();
        watcher.Changed += seen.Set;
        watcher.HealthChanged += health.Set;
        watcher.Start();
        seen.Wait(Bound);
        health.Wait(Bound);
        var database = new NpgsqlConnectionStringBuilder(_connectionString).Database!;

        // no new connections to the database, and the watcher's own is ended: it cannot come back yet
        Admin($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false;");
        Admin($"SELECT pg_terminate_backend({watcher.BackendProcessId}, 25000);");
        var lost = health.Wait(Bound);
        Assert.Multiple(() =>
        {
            Assert.That(lost.Connected, Is.False);
            Assert.That(lost.DisconnectedSince, Is.EqualTo(_clock.GetUtcNow()));
            Assert.That(lost.Error, Is.Not.Null.And.Not.Empty);
        });

        // meanwhile another instance (already connected) kills the canary
        Admin($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true;");
        writer.Settings.Commit(latest => Kill(latest));
        Assert.That(seen.TryWait(TimeSpan.FromMilliseconds(300), out _), Is.False, "nothing is heard while disconnected");

        // the backoff runs on the store's clock: reconnecting needs it to move. Each step moves it a second and gives the
        // reconnect 100 ms of real time; the real connect can take longer on a loaded machine, so the steps go on until the
        // change is heard or the bound passes (a count of steps would bound the real time by the machine's speed).
        VersionedSettings? caughtUp = null;
        var waited = System.Diagnostics.Stopwatch.StartNew(); // a bound on the wait, not a clock of the store
        while (caughtUp is null && waited.Elapsed < Bound)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            caughtUp = seen.TryWait(TimeSpan.FromMilliseconds(100), out var v) ? v : null;
        }
        Assert.That(caughtUp, Is.Not.Null, "reconnected and read the change made while it was away");
        Assert.Multiple(() =>
        {
            Assert.That(caughtUp!.Version, Is.EqualTo(1));
            Assert.That(caughtUp.Settings.KillSwitch, Is.True);
            Assert.That(watcher.Health.Connected, Is.True);
            Assert.That(watcher.Connects, Is.EqualTo(2));
        });
    }

    [Test]
    public void The_advisory_lock_has_one_holder_across_stores_and_passes_on_when_the_holder_goes()
    {
        using var a = PostgresStore.Open(_connectionString, _clock);
        using var b = PostgresStore.Open(_connectionString, _clock);
        using var lockA = a.CreateLeaderLock("evaluator");
        using var lockB = b.CreateLeaderLock("evaluator");
        using var other = b.CreateLeaderLock("plan-driver");

        Assert.Multiple(() =>
        {
            Assert.That(lockA.TryAcquire(), Is.True);
            Assert.That(lockA.TryAcquire(), Is.True, "the holder keeps it");
            Assert.That(lockB.TryAcquire(), Is.False);
            Assert.That(other.TryAcquire(), Is.True, "another name is another lock");
        });

        lockA.Release();
        Assert.That(lockB.TryAcquire(), Is.True, "released: the other instance takes it");
        Assert.That(lockA.TryAcquire(), Is.False);

        // the holder's session dies (process killed, network cut): the server frees the lock
        Admin($"SELECT pg_terminate_backend(pid, 25000) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND (classid::bigint << 32 | objid::bigint) = {lockB.Key};");
        Assert.Multiple(() =>
        {
            Assert.That(lockB.TryAcquire(), Is.False, "a holder that lost its session stops acting as the holder");
            Assert.That(lockB.LastError, Is.Not.Null);
            Assert.That(lockA.TryAcquire(), Is.True);
        });
    }

    [Test]
    public void The_sqlite_lock_file_has_one_holder_and_is_freed_on_dispose()
    {
        using var folder = new TempDirectory("tests");
        using var a = SqliteStore.Open(folder.File("fleet.db"), _clock);
        using var b = SqliteStore.Open(folder.File("fleet.db"), _clock);
        var lockA = a.CreateLeaderLock("evaluator");
        using var lockB = b.CreateLeaderLock("evaluator");
        Assert.Multiple(() =>
        {
            Assert.That(lockA.TryAcquire(), Is.True);
            Assert.That(lockB.TryAcquire(), Is.False);
            Assert.That(lockB.IsHeld, Is.False);
        });
        lockA.Dispose();
        Assert.That(lockB.TryAcquire(), Is.True);
        Assert.That(lockB.Path, Is.EqualTo(folder.File("fleet.db") + ".evaluator.lock"));
    }

    private static SettingsChange Kill(VersionedSettings latest) =>
        new(0, TestClock.Epoch, "ops", SettingsChangeKind.Rollback, "stop", latest.Settings, latest.Settings with { KillSwitch = true, CanaryPct = 0 }, []);

    private static void Admin(string sql) => PostgresTests.Cluster.Execute("postgres", sql);

    /// <summary>Values handed over from a background thread, waited for with a bound (never a sleep).</summary>
    private sealed class Signal<T>
    {
        private readonly System.Collections.Concurrent.BlockingCollection<T> _values = [];

        public void Set(T value) => _values.Add(value);

        public T Wait(TimeSpan bound) => TryWait(bound, out var value) ? value : throw new AssertionException($"nothing arrived within {bound}");

        public bool TryWait(TimeSpan bound, out T value) => _values.TryTake(out value!, bound);
    }
}
