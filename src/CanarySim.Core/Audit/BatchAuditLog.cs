namespace CanarySim.Core.Audit;

/// <summary>
/// A durable audit log that writes whole batches, all or none (the SQLite and PostgreSQL stores): one event is a
/// batch of one, every event is checked (<see cref="AuditEventData.EnsureJsonObjects"/>) before anything is
/// written, and an empty batch writes nothing. A store implements <see cref="Write"/> and <see cref="Read"/>.
/// </summary>
public abstract class BatchAuditLog : IAuditSink, IAuditReader
{
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
        if (events.Count > 0)
        {
            Write(events);
        }
    }

    /// <summary>
    /// Events of the given type (all when null) with <c>At</c> at or after <paramref name="since"/>,
    /// in the order they were written; at most the <paramref name="limit"/> most recent when given.
    /// </summary>
    public abstract IReadOnlyList<AuditEvent> Read(string? type = null, DateTimeOffset? since = null, int? limit = null);

    /// <summary>Writes a non-empty batch of checked events in one transaction, in their order.</summary>
    protected abstract void Write(IReadOnlyList<AuditEvent> events);
}
