namespace CanarySim.Core.Routing;

/// <summary>One <c>planner_selection_total{planner,reason}</c> series.</summary>
/// <param name="Planner">v1 or v2 (wire name via <see cref="WireName.Of{T}(T)"/>).</param>
/// <param name="Reason">The reason (wire name via <see cref="WireName.Of{T}(T)"/>).</param>
/// <param name="Count">Decisions counted.</param>
public sealed record SelectionCount(Engine Planner, RouteReason Reason, long Count);
