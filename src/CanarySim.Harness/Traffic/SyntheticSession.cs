using CanarySim.Core.Routing;

namespace CanarySim.Harness.Traffic;

/// <summary>One synthetic user session: its keys, agent type and requests in order.</summary>
/// <param name="SessionId">Session id (null for user-only or unkeyed traffic).</param>
/// <param name="UserId">User id (null for unkeyed traffic).</param>
/// <param name="AgentType">Agent type (the router segment).</param>
/// <param name="Requests">The session's requests, in order.</param>
public sealed record SyntheticSession(string? SessionId, string? UserId, string AgentType, IReadOnlyList<EngineRequest> Requests);
