namespace CanarySim.Core.Routing;

/// <summary>What the router needs from a request: its bucketing keys and segment.</summary>
/// <param name="SessionId">Session id: the bucketing key when present.</param>
/// <param name="UserId">User id: the fallback key, also checked against the cohort.</param>
/// <param name="Segment">Segment (e.g. agent type) for per-segment overrides.</param>
public readonly record struct RouteRequest(string? SessionId, string? UserId = null, string? Segment = null)
{
    /// <summary>The bucketing key: the session id, falling back to the user id; null when neither is set.</summary>
    public string? Key => !string.IsNullOrEmpty(SessionId) ? SessionId : !string.IsNullOrEmpty(UserId) ? UserId : null;

    /// <summary>The routing part of an engine request.</summary>
    public static RouteRequest From(EngineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new RouteRequest(request.SessionId, request.UserId, request.Segment);
    }
}
