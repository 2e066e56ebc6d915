namespace CanarySim.Service.Api;

/// <summary><c>GET /guard/health</c> (open to everyone, so it names nothing internal: no paths, no messages).</summary>
/// <param name="Status"><c>ok</c>, <c>degraded</c> (a live rollout is frozen: its store could not record a transition) or <c>unhealthy</c> (the store does not answer, or this instance is cut off from it).</param>
/// <param name="AuthRequired">Whether mutating endpoints check a token.</param>
/// <param name="InsecureDev">Running with <c>--insecure-dev</c>.</param>
/// <param name="Evaluations">Evaluations run since start.</param>
/// <param name="Error">The kind of failure, when unhealthy (details are in the service log).</param>
/// <param name="Store">The settings store as this instance sees it (connected, since when not, what the router serves).</param>
/// <param name="Evaluator">Whether this instance holds the fleet's evaluator lock (exactly one instance evaluates).</param>
/// <param name="Rollout">When a live rollout is frozen (its store could not record a transition): says so; null otherwise.</param>
public sealed record HealthView(string Status, bool AuthRequired, bool InsecureDev, long Evaluations, string? Error, StoreHealthView? Store = null, bool Evaluator = false, string? Rollout = null);
