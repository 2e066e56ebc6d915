namespace CanarySim.Core.Audit;

/// <summary>An audit sink and reader in memory, for simulations and tests. Thread-safe.</summary>
public sealed class InMemoryAuditLog : IAuditSink, IAuditReader
{
    private readonly Lock _lock = new();
    private readonly List<AuditEvent> _events = [];

    /// <summary>Number of events appended.</summary>
    public int Count
    {
        get { lock (_lock) { return _events.Count; } }
    }

    /// <inheritdoc />
    public void Append(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        lock (_lock)
        {
            _events.Add(auditEvent);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<AuditEvent> Read(string? type = null, DateTimeOffset? since = null, int? limit = null)
    {
        lock (_lock)
        {
            IEnumerable<AuditEvent> q = _events;
            if (type is not null)
            {
                q = q.Where(e => e.Type == type);
            }
            if (since is { } s)
            {
                q = q.Where(e => e.At >= s);
            }
            var list = q.ToList();
            return limit is { } l && l < list.Count ? list.Skip(list.Count - l).ToList() : list;
        }
    }
}
