using CanarySim.Core.Audit;
using Npgsql;
using NpgsqlTypes;

namespace CanarySim.Storage.Postgres;

/// <summary>The append-only audit log in a <see cref="PostgresStore"/>: rows are never rewritten or removed (triggers refuse it).</summary>
public sealed class PostgresAuditLog : BatchAuditLog
{
    private readonly PostgresStore _db;

    internal PostgresAuditLog(PostgresStore db) => _db = db;

    /// <inheritdoc />
    protected override void Write(IReadOnlyList<AuditEvent> events)
    {
        _db.Run(connection =>
        {
            // one statement for the batch: the arrays keep the events' order in the identity column
            using var insert = new NpgsqlCommand("""
                INSERT INTO audit_log(at, type, data, recorded_at)
                SELECT e.at, e.type, e.data, @recorded FROM unnest(@at, @type, @data) WITH ORDINALITY AS e(at, type, data, n) ORDER BY e.n;
                """, connection);
            insert.Parameters.AddWithValue("at", NpgsqlDbType.Array | NpgsqlDbType.Bigint, events.Select(e => e.At.UtcTicks).ToArray());
            insert.Parameters.AddWithValue("type", NpgsqlDbType.Array | NpgsqlDbType.Text, events.Select(e => e.Type).ToArray());
            insert.Parameters.AddWithValue("data", NpgsqlDbType.Array | NpgsqlDbType.Text, events.Select(e => e.Data).ToArray());
            insert.Parameters.AddWithValue("recorded", _db.Time.GetUtcNow().UtcTicks);
            insert.ExecuteNonQuery();
            return 0;
        });
    }

    /// <inheritdoc />
    public override IReadOnlyList<AuditEvent> Read(string? type = null, DateTimeOffset? since = null, int? limit = null) =>
        StoreQueries.Audit('@', type, since, limit) is { } query ? _db.Select(query, StoreRows.ReadAuditEvent) : [];
}
