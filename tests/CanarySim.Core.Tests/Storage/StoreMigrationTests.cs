using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Core.Tests.Detection;
using CanarySim.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CanarySim.Core.Tests.Storage;

public sealed class StoreMigrationTests
{
    [Test]
    public void A_version_1_store_is_migrated_on_open_and_keeps_its_history()
    {
        using var folder = new TempFolder();
        var path = folder.File("old.db");
        var clock = new FakeTimeProvider(TestClock.Epoch);
        using (var store = SqliteStore.Open(path, clock))
        {
            store.Settings.Commit(latest => new SettingsChange(0, TestClock.Epoch, "ops", "config", "before the upgrade", latest.Settings,
                latest.Settings with { CanaryPct = 5 }, []));
        }
        // what a version 1 file looks like: no instance column, version 1 in the header and the meta table
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TRIGGER settings_history_no_update; DROP TRIGGER settings_history_no_delete;
                ALTER TABLE settings_history DROP COLUMN instance;
                UPDATE canarysim_meta SET value = '1' WHERE key = 'schema_version';
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
        }

        using var migrated = SqliteStore.Open(path, clock);
        var next = migrated.Settings.Commit(latest => new SettingsChange(0, TestClock.Epoch, "ops", "config", "after", latest.Settings,
            latest.Settings with { CanaryPct = 10 }, [], "b"))!;

        var history = migrated.Settings.History();
        Assert.Multiple(() =>
        {
            Assert.That(history.Select(h => (h.Reason, h.Instance)), Is.EqualTo(new[] { ("before the upgrade", ""), ("after", "b") }));
            Assert.That(next.Version, Is.EqualTo(2));
            Assert.That(migrated.Settings.Current, Is.EqualTo(new VersionedSettings(2, RouterSettings.Default with { CanaryPct = 10 })));
            Assert.That(migrated.CheckIntegrity(), Is.EqualTo("ok"));
        });
    }
}
