namespace CanarySim.Storage.Sqlite;

/// <summary>DDL of schema version 1. Times are INTEGER UTC ticks (DateTimeOffset.UtcTicks) so ranges use the indexes.</summary>
internal static class StoreSchema
{
    internal const string SchemaName = "canarysim";

    internal static readonly string CreateV1 = $"""
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
            recorded_at   INTEGER NOT NULL);

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
            role             TEXT);
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
}
