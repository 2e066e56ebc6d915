using System.Globalization;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Storage;
using Npgsql;

namespace CanarySim.Storage.Postgres;

/// <summary>
/// The versioned router settings and their history in a <see cref="PostgresStore"/>. A change is a
/// compare-and-set decided in one transaction holding the current-settings row FOR UPDATE, so writers
/// on every instance get unique, gap-free versions and none can write back a stale copy; the same
/// transaction NOTIFYs the new version, delivered to every listener when it commits.
/// </summary>
public sealed class PostgresSettingsStore : ISettingsStore
{
    private readonly PostgresStore _db;

    internal PostgresSettingsStore(PostgresStore db) => _db = db;

    /// <inheritdoc />
    public VersionedSettings Current => _db.Run(connection => ReadCurrent(connection, null, forUpdate: false));

    /// <inheritdoc />
    public SettingsChange? Commit(Func<VersionedSettings, SettingsChange?> decide, long? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return _db.Run(connection =>
        {
            using var transaction = connection.BeginTransaction();
            var latest = ReadCurrent(connection, transaction, forUpdate: true);
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
            using (var insert = new NpgsqlCommand("""
                INSERT INTO settings_history(sequence, at, actor, kind, reason, before_json, after_json, breaches_json, recorded_at, instance)
                VALUES (@sequence, @at, @actor, @kind, @reason, @before, @after, @breaches, @recorded, @instance);
                UPDATE settings_current SET sequence = @sequence, settings_json = @after, updated_at = @recorded WHERE id = 1;
                SELECT pg_notify(@channel, @sequence::text);
                """, connection, transaction))
            {
                insert.Parameters.AddWithValue("sequence", sequence);
                insert.Parameters.AddWithValue("at", change.At.UtcTicks);
                insert.Parameters.AddWithValue("actor", change.Actor ?? "");
                insert.Parameters.AddWithValue("kind", WireName.Of(change.Kind));
                insert.Parameters.AddWithValue("reason", change.Reason ?? "");
                insert.Parameters.AddWithValue("before", RouterSettingsJson.Serialize(change.Before));
                insert.Parameters.AddWithValue("after", after);
                insert.Parameters.AddWithValue("breaches", JsonSerializer.Serialize(change.Breaches ?? []));
                insert.Parameters.AddWithValue("recorded", recordedAt);
                insert.Parameters.AddWithValue("instance", change.Instance ?? "");
                insert.Parameters.AddWithValue("channel", PostgresSchema.SettingsChannel);
                insert.ExecuteNonQuery();
            }
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
        return _db.Run(connection =>
        {
            using var command = new NpgsqlCommand(StoreRows.HistorySql('@', limit is not null), connection);
            command.Parameters.AddWithValue("limit", limit ?? 0);
            return StoreRows.ReadRows(command, reader => StoreRows.ReadChange(reader, Damaged), newestFirst: limit is not null);
        });
    }

    private VersionedSettings ReadCurrent(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool forUpdate)
    {
        using var command = new NpgsqlCommand(
            "SELECT sequence, settings_json FROM settings_current WHERE id = 1" + (forUpdate ? " FOR UPDATE;" : ";"), connection, transaction);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new PostgresStoreException(_db.Location, "is damaged: table settings_current has no row");
        }
        var sequence = reader.GetInt64(0);
        return reader.IsDBNull(1)
            ? new VersionedSettings(sequence, RouterSettings.Default)
            : new VersionedSettings(sequence, StoreRows.ReadSettings(reader.GetString(1), $"settings_current (sequence {sequence.ToString(CultureInfo.InvariantCulture)})", Damaged));
    }

    private Exception Damaged(string problem, Exception? cause) => new PostgresStoreException(_db.Location, problem, cause);
}
