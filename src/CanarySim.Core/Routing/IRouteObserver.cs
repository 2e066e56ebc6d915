namespace CanarySim.Core.Routing;

/// <summary>
/// Receives every route decision (for audit events and metrics). Called synchronously on the
/// request path; only attached observers cost anything, so the bare router stays allocation-free.
/// </summary>
public interface IRouteObserver
{
    /// <summary>Called once per decision.</summary>
    void OnRoute(in RouteRequest request, in RouteDecision decision);
}
