using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CanarySim.Storage.Sqlite;

/// <summary>
/// DDL of the current schema, and the migration steps that bring an older store up to it. Times are
/// INTEGER UTC ticks (DateTimeOffset.UtcTicks) so ranges use the indexes. A new column is a new
/// schema version: bump <see cref="StoreFile.SchemaVersion"/>, add it to <see cref="Create"/> and add
/// the step from the previous version to <see cref="Migrations"/>.
/// </summary>
internal static class StoreSchema
{
    internal const string SchemaName = "canarysim";

    internal static readonly string Create = $"""
        CREATE TABLE canarysim_meta(
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL);

        CREATE TABLE settings_history(
            sequence      INTEGER PRIMARY KEY,
            at            INTEGER NOT NULL,
            actor         TEXT NOT NULL,
            kind          TEXT NOT NULL,
            reason        TEXT NOT NULL,
            before_json   TEXT NOT NULL CHECK (json_valid(before_json)),
            after_json    TEXT NOT NULL CHECK (json_valid(after_json)),
            breaches_json TEXT NOT NULL CHECK (json_valid(breaches_json)),
            recorded_at   INTEGER NOT NULL,
            instance      TEXT NOT NULL DEFAULT '');

        CREATE TABLE settings_current(
            id            INTEGER PRIMARY KEY CHECK (id = 1),
            sequence      INTEGER NOT NULL REFERENCES settings_history(sequence),
            settings_json TEXT NOT NULL CHECK (json_valid(settings_json)),
            updated_at    INTEGER NOT NULL);

        CREATE TABLE audit_log(
            id          INTEGER PRIMARY KEY,
            at          INTEGER NOT NULL,
            type        TEXT NOT NULL,
            data        TEXT NOT NULL CHECK (json_valid(data) AND json_type(data) = 'object'),
            recorded_at INTEGER NOT NULL);
        CREATE INDEX audit_log_type_at ON audit_log(type, at);
        CREATE INDEX audit_log_at ON audit_log(at);

        CREATE TABLE samples(
            id               INTEGER PRIMARY KEY,
            engine           TEXT NOT NULL CHECK (engine IN ('v1', 'v2')),
            at               INTEGER NOT NULL,
            latency_ms       REAL NOT NULL,
            quality          REAL NOT NULL,
            cost_cents       REAL NOT NULL,
            error            INTEGER NOT NULL,
            fallback         INTEGER NOT NULL,
            policy_violation INTEGER NOT NULL,
            complaint        INTEGER NOT NULL,
            tokens           INTEGER NOT NULL,
            agent            TEXT,
            scenario         TEXT,
            role             TEXT,
            metrics          TEXT CHECK (metrics IS NULL OR (json_valid(metrics) AND json_type(metrics) = 'object')),
            tags             TEXT CHECK (tags IS NULL OR (json_valid(tags) AND json_type(tags) = 'object')));
        CREATE INDEX samples_engine_at ON samples(engine, at, id);

        -- append-only: history and audit rows are never rewritten or removed
        CREATE TRIGGER settings_history_no_update BEFORE UPDATE ON settings_history
            BEGIN SELECT RAISE(ABORT, 'settings_history is append-only'); END;
        CREATE TRIGGER settings_history_no_delete BEFORE DELETE ON settings_history
            BEGIN SELECT RAISE(ABORT, 'settings_history is append-only'); END;
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

        PRAGMA application_id = {StoreFile.ApplicationId};
        PRAGMA user_version = {StoreFile.SchemaVersion};
        """;

    /// <summary>Migration steps: the SQL at index i brings schema version i + 1 to version i + 2.</summary>
    internal static readonly IReadOnlyList<string> Migrations =
    [
        // 1 -> 2: the instance that made each settings change
        "ALTER TABLE settings_history ADD COLUMN instance TEXT NOT NULL DEFAULT '';",
        // 2 -> 3: a sample's custom metrics and tags (JSON objects; NULL when the sample has none)
        """
        ALTER TABLE samples ADD COLUMN metrics TEXT CHECK (metrics IS NULL OR (json_valid(metrics) AND json_type(metrics) = 'object'));
        ALTER TABLE samples ADD COLUMN tags TEXT CHECK (tags IS NULL OR (json_valid(tags) AND json_type(tags) = 'object'));
        """,
    ];

    /// <summary>Creates the schema in an empty file under the write lock; false when another process already did.</summary>
    internal static bool CreateIfEmpty(SqliteConnection connection, string path, TimeProvider time)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var applicationId = Scalar<long>(connection, "PRAGMA application_id;", transaction);
        var objects = Scalar<long>(connection, "SELECT COUNT(*) FROM sqlite_master;", transaction);
        if (applicationId == StoreFile.ApplicationId)
        {
            return false; // a concurrent opener created it first; MigrateAndValidate checks it
        }
        if (applicationId != 0 || objects != 0)
        {
            throw new CanarySimStoreException(path,
                $"is a SQLite database of another application (application_id 0x{applicationId:X8}, {objects} schema objects); refusing to modify it");
        }
        Execute(connection, Create, transaction);
        using var meta = connection.CreateCommand();
        meta.Transaction = transaction;
        meta.CommandText = "INSERT INTO canarysim_meta(key, value) VALUES ('schema', $schema), ('schema_version', $version), ('created_at', $created), ('created_by', $by);";
        meta.Parameters.AddWithValue("$schema", SchemaName);
        meta.Parameters.AddWithValue("$version", StoreFile.SchemaVersion.ToString(CultureInfo.InvariantCulture));
        meta.Parameters.AddWithValue("$created", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        meta.Parameters.AddWithValue("$by", "CanarySim " + typeof(SqliteStore).Assembly.GetName().Version);
        meta.ExecuteNonQuery();
        transaction.Commit();
        return true;
    }

    /// <summary>Brings an older CanarySim schema up to date (under the write lock, once across processes), then checks it is ours and current.</summary>
    internal static void MigrateAndValidate(SqliteConnection connection, string path, bool verify)
    {
        var applicationId = Scalar<long>(connection, "PRAGMA application_id;");
        if (applicationId != StoreFile.ApplicationId)
        {
            throw new CanarySimStoreException(path, $"is a SQLite database of another application (application_id 0x{applicationId:X8}); refusing to modify it");
        }
        if (verify)
        {
            var check = Scalar<string>(connection, "PRAGMA quick_check;");
            if (!string.Equals(check, "ok", StringComparison.Ordinal))
            {
                throw new CanarySimStoreException(path, $"is damaged: SQLite quick_check reports '{check}'; refusing to write to it (restore a backup or move it aside)");
            }
        }
        if (Scalar<long>(connection, "PRAGMA user_version;") is var seen && seen >= 1 && seen < StoreFile.SchemaVersion)
        {
            Migrate(connection, path);
        }
        var version = Scalar<long>(connection, "PRAGMA user_version;");
        if (version != StoreFile.SchemaVersion)
        {
            throw new CanarySimStoreException(path, version > StoreFile.SchemaVersion
                ? $"was written by a newer CanarySim (schema version {version}; this build reads version {StoreFile.SchemaVersion}); refusing to modify it"
                : $"is damaged: CanarySim store with schema version {version} (expected {StoreFile.SchemaVersion})");
        }
        var hasMeta = Scalar<long>(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'canarysim_meta';");
        var schema = hasMeta == 0 ? null : Scalar<string>(connection, "SELECT value FROM canarysim_meta WHERE key = 'schema';");
        var metaVersion = hasMeta == 0 ? null : Scalar<string>(connection, "SELECT value FROM canarysim_meta WHERE key = 'schema_version';");
        if (schema != SchemaName || metaVersion != StoreFile.SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new CanarySimStoreException(path,
                $"is damaged: table canarysim_meta should name schema '{SchemaName}' version {StoreFile.SchemaVersion}, found '{schema ?? "(missing)"}' version {metaVersion ?? "(missing)"}");
        }
    }

    private static void Migrate(SqliteConnection connection, string path)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Scalar<long>(connection, "PRAGMA user_version;", transaction);
        var metaVersion = Scalar<string>(connection, "SELECT value FROM canarysim_meta WHERE key = 'schema_version';", transaction);
        if (metaVersion != version.ToString(CultureInfo.InvariantCulture))
        {
            throw new CanarySimStoreException(path,
                $"is damaged: PRAGMA user_version says schema version {version} but table canarysim_meta says {metaVersion ?? "(missing)"}; refusing to migrate it");
        }
        for (var v = version; v < StoreFile.SchemaVersion; v++)
        {
            Execute(connection, Migrations[(int)v - 1], transaction);
        }
        Execute(connection, $"PRAGMA user_version = {StoreFile.SchemaVersion};", transaction);
        using var meta = connection.CreateCommand();
        meta.Transaction = transaction;
        meta.CommandText = "UPDATE canarysim_meta SET value = $version WHERE key = 'schema_version';";
        meta.Parameters.AddWithValue("$version", StoreFile.SchemaVersion.ToString(CultureInfo.InvariantCulture));
        meta.ExecuteNonQuery();
        transaction.Commit();
    }

    internal static string Explain(SqliteException ex) => ex.SqliteErrorCode switch
    {
        5 or 6 => $"the database stayed locked by another writer longer than the busy timeout ({ex.Message})",
        11 => $"is damaged ({ex.Message}); refusing to write to it",
        26 => $"is not a SQLite database ({ex.Message}); refusing to open or overwrite it",
        8 => $"is read-only ({ex.Message})",
        13 => $"the disk is full ({ex.Message})",
        _ => $"SQLite error {ex.SqliteErrorCode}: {ex.Message}",
    };

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    internal static T? Scalar<T>(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }
}
