namespace CanarySim.Core.Audit;

/// <summary>Append-only destination for audit events. Appending must never lose a committed event.</summary>
public interface IAuditSink
{
    /// <summary>Appends one event.</summary>
    void Append(AuditEvent auditEvent);

    /// <summary>Appends several events; stores with transactions write them all or none, in one commit.</summary>
    void AppendRange(IEnumerable<AuditEvent> auditEvents)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        foreach (var e in auditEvents)
        {
            Append(e);
        }
    }
}

/// <summary>Reads audit events back (for rollups and the dashboard timeline).</summary>
public interface IAuditReader
{
    /// <summary>Events of the given type (all when null) at or after <paramref name="since"/>, oldest first.</summary>
    IReadOnlyList<AuditEvent> Read(string? type = null, DateTimeOffset? since = null, int? limit = null);
}
