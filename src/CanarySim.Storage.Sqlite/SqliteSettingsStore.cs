using System.Globalization;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Storage;

namespace CanarySim.Storage.Sqlite;

/// <summary>
/// The versioned router settings and their history in a <see cref="SqliteStore"/>. A change is a
/// compare-and-set decided inside one IMMEDIATE transaction on the latest stored row, so writers in
/// several processes get unique, gap-free versions and none can write back a stale copy.
/// </summary>
public sealed class SqliteSettingsStore : ISettingsStore
{
    private readonly SqliteStore _db;

    internal SqliteSettingsStore(SqliteStore db) => _db = db;

    /// <inheritdoc />
    public VersionedSettings Current => _db.Run(() => ReadCurrent(null));

    /// <inheritdoc />
    public SettingsChange? Commit(Func<VersionedSettings, SettingsChange?> decide, long? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return _db.Run(() =>
        {
            using var transaction = _db.BeginWrite();
            var latest = ReadCurrent(transaction);
            if (expectedVersion is { } expected && expected != latest.Version)
            {
                throw new SettingsConflictException(expected, latest);
            }
            if (decide(latest) is not { } change)
            {
                return null;
            }
            var sequence = latest.Version + 1;
            var after = RouterSettingsJson.Serialize(change.After);
            var recordedAt = _db.Time.GetUtcNow().UtcTicks;

            using var insert = _db.Command("""
                INSERT INTO settings_history(sequence, at, actor, kind, reason, before_json, after_json, breaches_json, recorded_at, instance)
                VALUES ($sequence, $at, $actor, $kind, $reason, $before, $after, $breaches, $recorded, $instance);
                """, transaction);
            insert.Parameters.AddWithValue("$sequence", sequence);
            insert.Parameters.AddWithValue("$at", change.At.UtcTicks);
            insert.Parameters.AddWithValue("$actor", change.Actor ?? "");
            insert.Parameters.AddWithValue("$kind", WireName.Of(change.Kind));
            insert.Parameters.AddWithValue("$reason", change.Reason ?? "");
            insert.Parameters.AddWithValue("$before", RouterSettingsJson.Serialize(change.Before));
            insert.Parameters.AddWithValue("$after", after);
            insert.Parameters.AddWithValue("$breaches", JsonSerializer.Serialize(change.Breaches ?? []));
            insert.Parameters.AddWithValue("$recorded", recordedAt);
            insert.Parameters.AddWithValue("$instance", change.Instance ?? "");
            insert.ExecuteNonQuery();

            using var current = _db.Command("""
                INSERT INTO settings_current(id, sequence, settings_json, updated_at) VALUES (1, $sequence, $after, $recorded)
                ON CONFLICT(id) DO UPDATE SET sequence = excluded.sequence, settings_json = excluded.settings_json, updated_at = excluded.updated_at;
                """, transaction);
            current.Parameters.AddWithValue("$sequence", sequence);
            current.Parameters.AddWithValue("$after", after);
            current.Parameters.AddWithValue("$recorded", recordedAt);
            current.ExecuteNonQuery();

            transaction.Commit();
            return change with { Sequence = sequence };
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<SettingsChange> History(int? limit = null)
    {
        if (limit is <= 0)
        {
            return [];
        }
        return _db.Run(() =>
        {
            using var command = _db.Command(StoreRows.HistorySql('$', limit is not null));
            command.Parameters.AddWithValue("$limit", limit ?? 0);
            return StoreRows.ReadRows(command, reader => StoreRows.ReadChange(reader, Damaged), newestFirst: limit is not null);
        });
    }

    private VersionedSettings ReadCurrent(Microsoft.Data.Sqlite.SqliteTransaction? transaction)
    {
        using var command = _db.Command("SELECT sequence, settings_json FROM settings_current WHERE id = 1;", transaction);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return new VersionedSettings(0, RouterSettings.Default);
        }
        var sequence = reader.GetInt64(0);
        return new VersionedSettings(sequence, StoreRows.ReadSettings(reader.GetString(1), $"settings_current (sequence {sequence.ToString(CultureInfo.InvariantCulture)})", Damaged));
    }

    private Exception Damaged(string problem, Exception? cause) => new CanarySimStoreException(_db.Path, problem, cause);
}
