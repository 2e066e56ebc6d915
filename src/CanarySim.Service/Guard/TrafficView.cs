namespace CanarySim.Service.Guard;

/// <summary>Route decisions served by this process since it started.</summary>
/// <param name="V1">Decisions for v1.</param>
/// <param name="V2">Decisions for v2.</param>
/// <param name="Fallbacks">Router fallbacks.</param>
/// <param name="AuditDropped">Route decisions whose audit commit failed (answered 503, never acknowledged).</param>
public sealed record TrafficView(long V1, long V2, long Fallbacks, long AuditDropped);
