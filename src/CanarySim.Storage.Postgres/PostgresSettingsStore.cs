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
            if (StoreQueries.Commit('@', ReadCurrent(connection, transaction, forUpdate: true), expectedVersion, decide, _db.Time) is not { } commit)
            {
                return null;
            }
            using (var insert = new NpgsqlCommand(commit.Insert.Sql + "\n" + """
                UPDATE settings_current SET sequence = @sequence, settings_json = @after, updated_at = @recorded WHERE id = 1;
                SELECT pg_notify(@channel, @sequence::text);
                """, connection, transaction))
            {
                commit.Insert.Bind(insert);
                insert.Parameters.AddWithValue("channel", PostgresSchema.SettingsChannel);
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            return commit.Change;
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<SettingsChange> History(int? limit = null) =>
        StoreQueries.History('@', limit) is { } query ? _db.Select(query, reader => StoreRows.ReadChange(reader, _db.Damaged)) : [];

    private VersionedSettings ReadCurrent(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool forUpdate)
    {
        using var command = new NpgsqlCommand(
            "SELECT sequence, settings_json FROM settings_current WHERE id = 1" + (forUpdate ? " FOR UPDATE;" : ";"), connection, transaction);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new PostgresStoreException(_db.Location, "is damaged: table settings_current has no row");
        }
        return StoreRows.ReadCurrent(reader, _db.Damaged);
    }
}
