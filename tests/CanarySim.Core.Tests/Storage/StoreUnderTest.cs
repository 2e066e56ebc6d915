using CanarySim.Core.Audit;

namespace CanarySim.Core.Tests.Storage;

/// <summary>One open store as the contract tests see it: its settings, audit log and samples; disposing closes it.</summary>
public sealed class StoreUnderTest(ISettingsStore settings, IAuditSink auditSink, IAuditReader auditReader, IMetricsStore samples, IDisposable owner)
    : IDisposable
{
    public ISettingsStore Settings { get; } = settings;

    public AuditUnderTest Audit { get; } = new(auditSink, auditReader);

    public IMetricsStore Samples { get; } = samples;

    public void Dispose() => owner.Dispose();
}

/// <summary>A store's audit log seen as one object (sink and reader).</summary>
public sealed class AuditUnderTest(IAuditSink sink, IAuditReader reader)
{
    public void Append(AuditEvent auditEvent) => sink.Append(auditEvent);

    public void AppendRange(IEnumerable<AuditEvent> auditEvents) => sink.AppendRange(auditEvents);

    public IReadOnlyList<AuditEvent> Read(string? type = null, DateTimeOffset? since = null, int? limit = null) => reader.Read(type, since, limit);
}
