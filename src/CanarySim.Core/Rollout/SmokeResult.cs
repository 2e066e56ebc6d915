using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollout;

/// <summary>One smoke scenario of a rollback rehearsal.</summary>
/// <param name="Scenario">Scenario id, e.g. <c>FIN-01</c>.</param>
/// <param name="Passed">Served by v1 because of the kill switch, with a valid answer.</param>
/// <param name="ServedBy">The engine that answered (null when none did).</param>
/// <param name="Reason">The router's reason.</param>
/// <param name="Detail">What happened, in words.</param>
public sealed record SmokeResult(string Scenario, bool Passed, Engine? ServedBy, RouteReason Reason, string Detail);
