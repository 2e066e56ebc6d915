using CanarySim.Core.Audit;
using CanarySim.Storage.Sqlite;
using CanarySim.Testing;
using Microsoft.Data.Sqlite;

namespace CanarySim.Core.Tests.Storage;

/// <summary>The store contract on a SQLite file, plus what is particular to the file (schema, WAL, triggers, integrity check).</summary>
public sealed class SqliteStoreTests : StoreContract
{
    private TempDirectory _folder = null!;

    protected override void CreateStorage() => _folder = new TempDirectory("tests");

    protected override void DeleteStorage()
    {
    }

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    protected override StoreUnderTest OpenStore()
    {
        var store = OpenFile();
        return new StoreUnderTest(store.Settings, store.Audit, store.Audit, store.Samples, store);
    }

    private SqliteStore OpenFile(string name = "store.db") => SqliteStore.Open(_folder.File(name), Clock);

    [Test]
    public void New_file_is_created_with_schema_wal_and_application_id_in_a_missing_folder()
    {
        var path = Path.Combine(_folder.Path, "nested", "deeper", "store.db");
        using (SqliteStore.Open(path, Clock))
        {
        }
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        string Query(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
        }
        Assert.Multiple(() =>
        {
            Assert.That(Query("PRAGMA journal_mode;"), Is.EqualTo("wal"));
            Assert.That(Query("PRAGMA application_id;"), Is.EqualTo(SqliteStore.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(Query("PRAGMA user_version;"), Is.EqualTo(SqliteStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(Query("SELECT value FROM canarysim_meta WHERE key = 'schema';"), Is.EqualTo("canarysim"));
            Assert.That(Query("SELECT value FROM canarysim_meta WHERE key = 'schema_version';"), Is.EqualTo(SqliteStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(Query("SELECT value FROM canarysim_meta WHERE key = 'created_at';"), Is.EqualTo(T0.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public void History_and_audit_rows_cannot_be_rewritten()
    {
        var path = _folder.File("store.db");
        using (var store = OpenFile())
        {
            Append(store.Settings, Change("one", RouterSettings.Default, Rich, T0));
            store.Audit.Append(new AuditEvent(T0, "rollback", """{"actor":"auto"}"""));
        }
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        foreach (var sql in new[] { "UPDATE settings_history SET reason = 'x';", "DELETE FROM settings_history;", "UPDATE audit_log SET type = 'x';", "DELETE FROM audit_log;" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            Assert.That(() => command.ExecuteNonQuery(), Throws.TypeOf<SqliteException>().With.Message.Contains("append-only"), sql);
        }
    }

    [Test]
    public void Integrity_check_of_a_used_store_is_ok()
    {
        using var store = OpenFile();
        Append(store.Settings, Change("one", RouterSettings.Default, Rich, T0));
        store.Samples.Add(new Sample { Engine = Engine.V1, At = T0 });
        Assert.That(store.CheckIntegrity(), Is.EqualTo("ok"));
    }

    [Test]
    public void Sample_maps_are_stored_as_json_objects_with_names_in_ordinal_order()
    {
        using (var store = OpenFile())
        {
            store.Samples.Add(new Sample
            {
                Engine = Engine.V2, At = T0, LatencyMs = 812,
                Metrics = new Dictionary<string, double> { ["tokens_out"] = 0.25, ["llm_call"] = 1, ["anomaly"] = 0 },
            });
        }
        Assert.That(RawQuery("SELECT metrics FROM samples ORDER BY id LIMIT 1;"), Is.EqualTo("{\"anomaly\":0,\"llm_call\":1,\"tokens_out\":0.25}"));
    }

    [Test]
    public void A_samples_row_with_metrics_that_are_not_a_json_object_is_refused_by_the_table()
    {
        using (OpenFile())
        {
        }
        Assert.That(() => RawQuery("INSERT INTO samples(engine, at, latency_ms, quality, cost_cents, error, fallback, policy_violation, complaint, tokens, metrics) VALUES ('v2', 0, 1, 1, 1, 0, 0, 0, 0, 0, '[1, 2]');"),
            Throws.InstanceOf<SqliteException>().With.Message.Contains("CHECK constraint"));
    }

    protected override string? RawScalar(string sql) => RawQuery(sql);

    private string RawQuery(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_folder.File("store.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
