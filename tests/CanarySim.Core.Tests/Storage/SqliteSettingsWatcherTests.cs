using CanarySim.Core.Tests.Detection;
using CanarySim.Storage.Sqlite;
using CanarySim.Testing;

namespace CanarySim.Core.Tests.Storage;

public sealed class SqliteSettingsWatcherTests
{
    private TempDirectory _folder = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempDirectory("tests");
        _clock = new FakeTimeProvider(TestClock.Epoch);
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public void A_change_by_another_connection_is_seen_at_the_next_poll_and_only_then()
    {
        using var a = SqliteStore.Open(_folder.File("shared.db"), _clock);
        using var b = SqliteStore.Open(_folder.File("shared.db"), _clock);
        using var watcher = new SqliteSettingsWatcher(b, TimeSpan.FromMilliseconds(250));
        var seen = new List<VersionedSettings>();
        watcher.Changed += seen.Add;
        watcher.Start();
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        seen.Clear(); // the first poll reports what is stored when it starts

        a.Settings.Commit(latest => Change(latest, latest.Settings with { KillSwitch = true }));
        _clock.Advance(TimeSpan.FromMilliseconds(249));
        Assert.That(seen, Is.Empty, "no poll yet");
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.That(seen.Select(v => (v.Version, v.Settings.KillSwitch)), Is.EqualTo(new[] { (1L, true) }));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.That(seen, Has.Count.EqualTo(1), "nothing new: no event");

        a.Audit.Append(new Core.Audit.AuditEvent(TestClock.Epoch, "note", "{}"));
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.That(seen, Has.Count.EqualTo(1), "a commit that leaves the settings alone raises nothing");
        Assert.That(watcher.Health.Connected, Is.True);
    }

    [Test]
    public void A_store_that_went_away_makes_the_watcher_report_disconnected()
    {
        var store = SqliteStore.Open(_folder.File("gone.db"), _clock);
        using var watcher = new SqliteSettingsWatcher(store, TimeSpan.FromMilliseconds(250));
        watcher.Start();
        store.Dispose();
        _clock.Advance(TimeSpan.FromMilliseconds(250));

        Assert.That(watcher.Health.Connected, Is.False);
        Assert.That(watcher.Health.DisconnectedSince, Is.EqualTo(TestClock.Epoch.AddMilliseconds(250)));
        Assert.That(watcher.Health.Error, Is.Not.Empty);
    }

    private static SettingsChange Change(VersionedSettings latest, RouterSettings after) =>
        new(0, TestClock.Epoch, "ops", SettingsChangeKind.Rollback, "test", latest.Settings, after, [], "a");
}
