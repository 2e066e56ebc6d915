using CanarySim.Core.Audit;

namespace CanarySim.Core.Routing;

/// <summary>Appends every decision to an audit sink as an <c>engine_route</c> event.</summary>
/// <param name="sink">Where events go.</param>
/// <param name="timeProvider">Clock for the event time; <see cref="TimeProvider.System"/> when null.</param>
public sealed class AuditRouteObserver(IAuditSink sink, TimeProvider? timeProvider = null) : IRouteObserver
{
    private readonly IAuditSink _sink = sink ?? throw new ArgumentNullException(nameof(sink));
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public void OnRoute(in RouteRequest request, in RouteDecision decision) =>
        _sink.Append(new AuditEvent(_time.GetUtcNow(), RouteEventJson.EventType, RouteEventJson.ToJson(decision)));
}
