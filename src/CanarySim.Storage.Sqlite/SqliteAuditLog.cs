using CanarySim.Core.Audit;
using Microsoft.Data.Sqlite;

namespace CanarySim.Storage.Sqlite;

/// <summary>The append-only audit log in a <see cref="SqliteStore"/>: rows are never rewritten or removed (triggers refuse it).</summary>
public sealed class SqliteAuditLog : IAuditSink, IAuditReader
{
    private readonly SqliteStore _db;

    internal SqliteAuditLog(SqliteStore db) => _db = db;

    /// <summary>Appends one audit event in its own transaction; durable when this returns.</summary>
    /// <exception cref="ArgumentException"><see cref="AuditEvent.Data"/> is not a JSON object text.</exception>
    public void Append(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        AppendRange([auditEvent]);
    }

    /// <summary>Appends several audit events in one transaction (all or none); durable when this returns.</summary>
    /// <exception cref="ArgumentException">An event's <see cref="AuditEvent.Data"/> is not a JSON object text.</exception>
    public void AppendRange(IEnumerable<AuditEvent> auditEvents)
    {
        var events = AuditEventData.EnsureJsonObjects(auditEvents);
        if (events.Count == 0)
        {
            return;
        }
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

    /// <summary>
    /// Events of the given type (all when null) with <c>At</c> at or after <paramref name="since"/>,
    /// in the order they were committed; at most the <paramref name="limit"/> most recent when given.
    /// </summary>
    public IReadOnlyList<AuditEvent> Read(string? type = null, DateTimeOffset? since = null, int? limit = null) =>
        StoreQueries.Audit('$', type, since, limit) is { } query ? _db.Select(query, StoreRows.ReadAuditEvent) : [];
}
