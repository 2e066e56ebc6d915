using CanarySim.Core.Audit;
using Microsoft.Data.Sqlite;

namespace CanarySim.Storage.Sqlite;

/// <summary>The append-only audit log in a <see cref="SqliteStore"/>: rows are never rewritten or removed (triggers refuse it).</summary>
public sealed class SqliteAuditLog : BatchAuditLog
{
    private readonly SqliteStore _db;

    internal SqliteAuditLog(SqliteStore db) => _db = db;

    /// <inheritdoc />
    protected override void Write(IReadOnlyList<AuditEvent> events)
    {
        _db.Run(() =>
        {
            using var transaction = _db.BeginWrite();
            using var insert = _db.Command("INSERT INTO audit_log(at, type, data, recorded_at) VALUES ($at, $type, $data, $recorded);", transaction);
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            var type = insert.Parameters.Add("$type", SqliteType.Text);
            var data = insert.Parameters.Add("$data", SqliteType.Text);
            insert.Parameters.AddWithValue("$recorded", _db.Time.GetUtcNow().UtcTicks);
            foreach (var e in events)
            {
                at.Value = e.At.UtcTicks;
                type.Value = e.Type;
                data.Value = e.Data;
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            return 0;
        });
    }

    /// <inheritdoc />
    public override IReadOnlyList<AuditEvent> Read(string? type = null, DateTimeOffset? since = null, int? limit = null) =>
        StoreQueries.Audit('$', type, since, limit) is { } query ? _db.Select(query, StoreRows.ReadAuditEvent) : [];
}
