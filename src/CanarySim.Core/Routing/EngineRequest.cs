namespace CanarySim.Core.Routing;

/// <summary>One request to an engine.</summary>
/// <param name="SessionId">Session id (the bucketing key), if any.</param>
/// <param name="UserId">User id (bucketing fallback, cohort membership), if any.</param>
/// <param name="Segment">Segment such as the agent type, for per-segment overrides, if any.</param>
/// <param name="Payload">The request body as JSON text (engine-specific).</param>
public sealed record EngineRequest(string? SessionId, string? UserId, string? Segment, string Payload);
