using System.Globalization;
using Npgsql;

namespace CanarySim.Storage.Postgres;

/// <summary>
/// DDL of the current PostgreSQL schema and the migration steps that bring an older one up to it.
/// Times are bigint UTC ticks (DateTimeOffset.UtcTicks), exact to the tick like the SQLite store.
/// JSON columns are text checked as JSON, so what was written is read back byte for byte. A change
/// is a new schema version: bump <see cref="Version"/>, change <see cref="Create"/> and add the step
/// from the previous version to <see cref="Migrations"/>.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The schema version this build writes and reads (table canarysim_meta).</summary>
    internal const int Version = 1;

    internal const string SchemaName = "canarysim";

    /// <summary>The channel every settings change is announced on (payload: the new version).</summary>
    internal const string SettingsChannel = "canarysim_settings";

    /// <summary>The channel every stored sample batch is announced on (no payload).</summary>
    internal const string SamplesChannel = "canarysim_samples";

    /// <summary>Advisory lock key taken while the schema is created or migrated, so concurrent starts do it once.</summary>
    private const long SchemaLockKey = 0x436E536D_00000001;

    private static readonly string[] OurTables = ["canarysim_meta", "settings_history", "settings_current", "audit_log", "samples"];

    internal const string Create = """
        CREATE TABLE canarysim_meta(
            key   text PRIMARY KEY,
            value text NOT NULL);

        CREATE TABLE settings_history(
            sequence      bigint PRIMARY KEY,
            at            bigint NOT NULL,
            actor         text NOT NULL,
            kind          text NOT NULL,
            reason        text NOT NULL,
            before_json   text NOT NULL CHECK (jsonb_typeof(before_json::jsonb) = 'object'),
            after_json    text NOT NULL CHECK (jsonb_typeof(after_json::jsonb) = 'object'),
            breaches_json text NOT NULL CHECK (jsonb_typeof(breaches_json::jsonb) = 'array'),
            recorded_at   bigint NOT NULL,
            instance      text NOT NULL DEFAULT '');

        -- one row from the start (version 0, no settings stored yet), so every change locks it FOR UPDATE
        CREATE TABLE settings_current(
            id            integer PRIMARY KEY CHECK (id = 1),
            sequence      bigint NOT NULL,
            settings_json text CHECK (settings_json IS NULL OR jsonb_typeof(settings_json::jsonb) = 'object'),
            updated_at    bigint NOT NULL);
        INSERT INTO settings_current(id, sequence, settings_json, updated_at) VALUES (1, 0, NULL, 0);

        CREATE TABLE audit_log(
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at          bigint NOT NULL,
            type        text NOT NULL,
            data        text NOT NULL CHECK (jsonb_typeof(data::jsonb) = 'object'),
            recorded_at bigint NOT NULL);
        CREATE INDEX audit_log_type_at ON audit_log(type, at);
        CREATE INDEX audit_log_at ON audit_log(at);

        CREATE TABLE samples(
            id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            engine           text NOT NULL CHECK (engine IN ('v1', 'v2')),
            at               bigint NOT NULL,
            latency_ms       double precision NOT NULL,
            quality          double precision NOT NULL,
            cost_cents       double precision NOT NULL,
            error            boolean NOT NULL,
            fallback         boolean NOT NULL,
            policy_violation boolean NOT NULL,
            complaint        boolean NOT NULL,
            tokens           integer NOT NULL,
            agent            text,
            scenario         text,
            role             text,
            metrics          text CHECK (metrics IS NULL OR jsonb_typeof(metrics::jsonb) = 'object'),
            tags             text CHECK (tags IS NULL OR jsonb_typeof(tags::jsonb) = 'object'));
        CREATE INDEX samples_engine_at ON samples(engine, at, id);
        CREATE INDEX samples_engine_id ON samples(engine, id);

        -- append-only: history and audit rows are never rewritten or removed
        CREATE FUNCTION canarysim_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
        END $$;
        CREATE TRIGGER settings_history_append_only BEFORE UPDATE OR DELETE ON settings_history
            FOR EACH ROW EXECUTE FUNCTION canarysim_append_only();
        CREATE TRIGGER settings_history_no_truncate BEFORE TRUNCATE ON settings_history
            FOR EACH STATEMENT EXECUTE FUNCTION canarysim_append_only();
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION canarysim_append_only();
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION canarysim_append_only();
        """;

    /// <summary>Migration steps: the SQL at index i brings schema version i + 1 to version i + 2.</summary>
    internal static readonly IReadOnlyList<string> Migrations = [];

    /// <summary>
    /// Creates the schema in a database without one, migrates an older one, and checks it is ours and
    /// current — in one transaction under an advisory lock, so instances starting together do it once.
    /// A database with a newer or foreign schema is refused and left untouched.
    /// </summary>
    internal static void CreateOrMigrate(NpgsqlConnection connection, string location, TimeProvider time)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLockKey.ToString(CultureInfo.InvariantCulture)});");
        var present = OurTables.Where(t => Scalar<bool>(connection, transaction, $"SELECT to_regclass('{t}') IS NOT NULL;")).ToList();
        if (!present.Contains("canarysim_meta"))
        {
            if (present.Count > 0)
            {
                throw new PostgresStoreException(location,
                    $"holds tables named like CanarySim's ({string.Join(", ", present)}) but no canarysim_meta: another application's schema; refusing to modify it (use another database or search path)");
            }
            Execute(connection, transaction, Create);
            using var meta = new NpgsqlCommand(
                "INSERT INTO canarysim_meta(key, value) VALUES ('schema', @schema), ('schema_version', @version), ('created_at', @created), ('created_by', @by);",
                connection, transaction);
            meta.Parameters.AddWithValue("schema", SchemaName);
            meta.Parameters.AddWithValue("version", Version.ToString(CultureInfo.InvariantCulture));
            meta.Parameters.AddWithValue("created", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            meta.Parameters.AddWithValue("by", "CanarySim " + typeof(PostgresSchema).Assembly.GetName().Version);
            meta.ExecuteNonQuery();
            transaction.Commit();
            return;
        }

        var schema = Scalar<string>(connection, transaction, "SELECT value FROM canarysim_meta WHERE key = 'schema';");
        var versionText = Scalar<string>(connection, transaction, "SELECT value FROM canarysim_meta WHERE key = 'schema_version';");
        if (schema != SchemaName)
        {
            throw new PostgresStoreException(location,
                $"table canarysim_meta names schema '{schema ?? "(missing)"}', not '{SchemaName}': another application's schema; refusing to modify it");
        }
        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw new PostgresStoreException(location, $"is damaged: canarysim_meta schema_version is '{versionText ?? "(missing)"}' (expected {Version})");
        }
        if (version > Version)
        {
            throw new PostgresStoreException(location,
                $"was written by a newer CanarySim (schema version {version}; this build reads version {Version}); refusing to modify it");
        }
        var missing = OurTables.Except(present).ToList();
        if (missing.Count > 0)
        {
            throw new PostgresStoreException(location, $"is damaged: CanarySim schema version {version} without table(s) {string.Join(", ", missing)}");
        }
        for (var v = version; v < Version; v++)
        {
            Execute(connection, transaction, Migrations[v - 1]);
        }
        if (version < Version)
        {
            using var bump = new NpgsqlCommand("UPDATE canarysim_meta SET value = @version WHERE key = 'schema_version';", connection, transaction);
            bump.Parameters.AddWithValue("version", Version.ToString(CultureInfo.InvariantCulture));
            bump.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    internal static void Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    internal static T? Scalar<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }
}
