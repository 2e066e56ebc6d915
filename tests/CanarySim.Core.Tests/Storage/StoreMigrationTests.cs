using CanarySim.Core.Tests.Detection;
using CanarySim.Storage.Sqlite;
using CanarySim.Testing;
using Microsoft.Data.Sqlite;

namespace CanarySim.Core.Tests.Storage;

public sealed class StoreMigrationTests
{
    [Test]
    public void A_version_1_store_is_migrated_on_open_and_keeps_its_history()
    {
        using var folder = new TempDirectory("tests");
        var path = folder.File("old.db");
        var clock = new FakeTimeProvider(TestClock.Epoch);
        using (var store = SqliteStore.Open(path, clock))
        {
            store.Settings.Commit(latest => new SettingsChange(0, TestClock.Epoch, "ops", SettingsChangeKind.Config, "before the upgrade", latest.Settings,
                latest.Settings with { CanaryPct = 5 }, []));
        }
        // what a version 1 file looks like: no instance column, no sample metrics or tags, version 1 in the header and the meta table
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TRIGGER settings_history_no_update; DROP TRIGGER settings_history_no_delete;
                ALTER TABLE settings_history DROP COLUMN instance;
                ALTER TABLE samples DROP COLUMN metrics; ALTER TABLE samples DROP COLUMN tags;
                UPDATE canarysim_meta SET value = '1' WHERE key = 'schema_version';
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
        }

        using var migrated = SqliteStore.Open(path, clock);
        var next = migrated.Settings.Commit(latest => new SettingsChange(0, TestClock.Epoch, "ops", SettingsChangeKind.Config, "after", latest.Settings,
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

    [Test]
    public void A_version_2_store_is_migrated_on_open_keeps_its_samples_and_then_stores_metrics_and_tags()
    {
        using var folder = new TempDirectory("tests");
        var path = folder.File("v2.db");
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var old = new Sample { Engine = Engine.V2, At = TestClock.Epoch, LatencyMs = 812, Agent = "planner" };
        using (var store = SqliteStore.Open(path, clock))
        {
            store.Samples.Add(old);
        }
        // what a version 2 file looks like: the samples table without the metrics and tags columns
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                ALTER TABLE samples DROP COLUMN metrics; ALTER TABLE samples DROP COLUMN tags;
                UPDATE canarysim_meta SET value = '2' WHERE key = 'schema_version';
                PRAGMA user_version = 2;
                """;
            command.ExecuteNonQuery();
        }

        using var migrated = SqliteStore.Open(path, clock);
        var rich = new Sample
        {
            Engine = Engine.V2, At = TestClock.Epoch.AddSeconds(1), LatencyMs = 90,
            Metrics = new Dictionary<string, double> { ["llm_call"] = 1, ["tool_calls"] = 3 },
            Tags = new Dictionary<string, string> { ["region"] = "eu" },
        };
        migrated.Samples.Add(rich);

        var read = migrated.Samples.LastRuns(Engine.V2, 10);
        Assert.Multiple(() =>
        {
            Assert.That(read.Select(SampleJson.Write), Is.EqualTo(new[] { SampleJson.Write(old), SampleJson.Write(rich) }));
            Assert.That(read[0].Metrics, Is.Null);
            Assert.That(read[0].Tags, Is.Null);
            Assert.That(migrated.CheckIntegrity(), Is.EqualTo("ok"));
            Assert.That(Pragma(path, "PRAGMA user_version;"), Is.EqualTo(SqliteStore.SchemaVersion));
        });
    }

    private static long Pragma(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
