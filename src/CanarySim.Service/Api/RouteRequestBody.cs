namespace CanarySim.Service.Api;

/// <summary>OpenAPI shape of the <c>POST /guard/route</c> body; every field is optional (no key → routed at random, marked unkeyed).</summary>
/// <param name="SessionId">Bucketing key.</param>
/// <param name="UserId">Fallback key and cohort membership.</param>
/// <param name="Segment">Segment for per-segment overrides (e.g. agent type).</param>
public sealed record RouteRequestBody(string? SessionId = null, string? UserId = null, string? Segment = null);
