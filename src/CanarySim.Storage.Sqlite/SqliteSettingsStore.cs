using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Storage;
using Microsoft.Data.Sqlite;

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
            if (StoreQueries.Commit('$', ReadCurrent(transaction), expectedVersion, decide, _db.Time) is not { } commit)
            {
                return null;
            }
            using (var insert = _db.Command(commit.Insert.Sql + "\n" + """
                INSERT INTO settings_current(id, sequence, settings_json, updated_at) VALUES (1, $sequence, $after, $recorded)
                ON CONFLICT(id) DO UPDATE SET sequence = excluded.sequence, settings_json = excluded.settings_json, updated_at = excluded.updated_at;
                """, transaction))
            {
                commit.Insert.Bind(insert);
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            return commit.Change;
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<SettingsChange> History(int? limit = null) =>
        StoreQueries.History('$', limit) is { } query ? _db.Select(query, reader => StoreRows.ReadChange(reader, _db.Damaged)) : [];

    private VersionedSettings ReadCurrent(SqliteTransaction? transaction)
    {
        using var command = _db.Command("SELECT sequence, settings_json FROM settings_current WHERE id = 1;", transaction);
        using var reader = command.ExecuteReader();
        return reader.Read() ? StoreRows.ReadCurrent(reader, _db.Damaged) : new VersionedSettings(0, RouterSettings.Default);
    }
}
