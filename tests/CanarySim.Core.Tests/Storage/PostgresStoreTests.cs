using CanarySim.Core.Audit;
using CanarySim.Storage.Postgres;
using CanarySim.Testing;
using Npgsql;

namespace CanarySim.Core.Tests.Storage;

/// <summary>The store contract on PostgreSQL (a database per test in the run's throwaway cluster), plus schema refusal and append-only rows.</summary>
public sealed class PostgresStoreTests : StoreContract
{
    private string _connectionString = null!;

    protected override void CreateStorage() => _connectionString = PostgresTests.Cluster.CreateDatabase("store");

    protected override void DeleteStorage() => NpgsqlConnection.ClearAllPools();

    protected override StoreUnderTest OpenStore()
    {
        var store = PostgresStore.Open(_connectionString, Clock);
        return new StoreUnderTest(store.Settings, store.Audit, store.Audit, store.Samples, store);
    }

    [Test]
    public void A_new_database_gets_the_schema_and_a_second_open_keeps_it()
    {
        using (var store = PostgresStore.Open(_connectionString, Clock))
        {
            Append(store.Settings, Change("one", RouterSettings.Default, Rich, T0));
        }
        using var again = PostgresStore.Open(_connectionString, Clock);
        Assert.Multiple(() =>
        {
            Assert.That(Scalar("SELECT value FROM canarysim_meta WHERE key = 'schema';"), Is.EqualTo("canarysim"));
            Assert.That(Scalar("SELECT value FROM canarysim_meta WHERE key = 'schema_version';"), Is.EqualTo(PostgresStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(Scalar("SELECT value FROM canarysim_meta WHERE key = 'created_at';"), Is.EqualTo(T0.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(again.Settings.Current.Version, Is.EqualTo(1));
            Assert.That(again.Location, Does.StartWith("postgresql://127.0.0.1:").And.Not.Contains("Username"));
        });
    }

    [Test]
    public void A_schema_written_by_a_newer_canarysim_is_refused_and_left_untouched()
    {
        using (PostgresStore.Open(_connectionString, Clock))
        {
        }
        Execute("UPDATE canarysim_meta SET value = '99' WHERE key = 'schema_version';");
        Assert.That(() => PostgresStore.Open(_connectionString, Clock),
            Throws.TypeOf<PostgresStoreException>().With.Message.Contains("newer CanarySim (schema version 99"));
        Assert.That(Scalar("SELECT value FROM canarysim_meta WHERE key = 'schema_version';"), Is.EqualTo("99"));
    }

    [Test]
    public void A_database_with_another_applications_tables_of_the_same_names_is_refused_and_left_untouched()
    {
        Execute("CREATE TABLE samples(id int, payload text); INSERT INTO samples VALUES (1, 'theirs');");
        Assert.That(() => PostgresStore.Open(_connectionString, Clock),
            Throws.TypeOf<PostgresStoreException>().With.Message.Contains("another application").And.Message.Contains("samples"));
        Assert.Multiple(() =>
        {
            Assert.That(Scalar("SELECT payload FROM samples;"), Is.EqualTo("theirs"));
            Assert.That(Scalar("SELECT to_regclass('canarysim_meta')::text;"), Is.Null);
        });
    }

    [Test]
    public void A_meta_table_naming_another_schema_is_refused()
    {
        Execute("CREATE TABLE canarysim_meta(key text PRIMARY KEY, value text NOT NULL); INSERT INTO canarysim_meta VALUES ('schema', 'other');");
        Assert.That(() => PostgresStore.Open(_connectionString, Clock),
            Throws.TypeOf<PostgresStoreException>().With.Message.Contains("names schema 'other'"));
    }

    [Test]
    public void A_server_that_is_not_there_is_a_clear_error_naming_the_location()
    {
        Assert.That(() => PostgresStore.Open("Host=127.0.0.1;Port=1;Username=x;Database=nowhere;Timeout=5", Clock),
            Throws.TypeOf<PostgresStoreException>().With.Message.Contains("postgresql://127.0.0.1:1/nowhere").And.Message.Contains("cannot reach the server"));
    }

    [Test]
    public void History_and_audit_rows_cannot_be_rewritten_or_removed()
    {
        using (var store = PostgresStore.Open(_connectionString, Clock))
        {
            Append(store.Settings, Change("one", RouterSettings.Default, Rich, T0));
            store.Audit.Append(new AuditEvent(T0, "rollback", """{"actor":"auto"}"""));
        }
        foreach (var sql in new[]
        {
            "UPDATE settings_history SET reason = 'x';", "DELETE FROM settings_history;", "TRUNCATE settings_history CASCADE;",
            "UPDATE audit_log SET type = 'x';", "DELETE FROM audit_log;", "TRUNCATE audit_log;",
        })
        {
            Assert.That(() => Execute(sql), Throws.TypeOf<PostgresException>().With.Message.Contains("append-only"), sql);
        }
    }

    [Test]
    public void Concurrent_writers_on_two_stores_lose_no_update_and_get_consecutive_versions()
    {
        using var a = PostgresStore.Open(_connectionString, Clock);
        using var b = PostgresStore.Open(_connectionString, Clock);
        const int PerWriter = 15;
        // every change adds 1 % to what is stored: a lost update would leave the total short
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, writer =>
        {
            var store = writer % 2 == 0 ? a : b;
            for (var i = 0; i < PerWriter; i++)
            {
                store.Settings.Commit(latest => Change($"w{writer}", latest.Settings, latest.Settings with { CanaryPct = latest.Settings.CanaryPct + 1 }, T0));
            }
        });
        var history = a.Settings.History();
        Assert.Multiple(() =>
        {
            Assert.That(b.Settings.Current.Settings.CanaryPct, Is.EqualTo(4 * PerWriter));
            Assert.That(history.Select(h => h.Sequence), Is.EqualTo(Enumerable.Range(1, 4 * PerWriter).Select(i => (long)i)));
            Assert.That(history.Zip(history.Skip(1)).All(p => p.First.After == p.Second.Before), Is.True, "every before is the previous after");
        });
    }

    [Test]
    public void A_stale_expected_version_is_a_conflict_carrying_the_current_settings_and_writes_nothing()
    {
        using var store = PostgresStore.Open(_connectionString, Clock);
        Append(store.Settings, Change("one", RouterSettings.Default, Rich, T0));
        var ex = Assert.Throws<SettingsConflictException>(() =>
            store.Settings.Commit(latest => Change("stale", latest.Settings, RouterSettings.Default, T0), expectedVersion: 0));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Expected, Is.EqualTo(0));
            Assert.That(ex.Current.Version, Is.EqualTo(1));
            Assert.That(ex.Current.Settings, Is.EqualTo(Rich));
            Assert.That(store.Settings.History(), Has.Count.EqualTo(1));
        });
    }

    protected override string? RawScalar(string sql) => Scalar(sql);

    private string? Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
