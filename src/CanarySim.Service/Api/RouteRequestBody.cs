namespace CanarySim.Service.Api;

/// <summary>Body of <c>POST /guard/route</c>; every field is optional (no key → routed at random, marked unkeyed).</summary>
public sealed class RouteRequestBody
{
    /// <summary>Bucketing key (at most 1024 characters, no control characters).</summary>
    public string? SessionId { get; init; }

    /// <summary>Fallback key and cohort membership.</summary>
    public string? UserId { get; init; }

    /// <summary>Segment for per-segment overrides (e.g. agent type).</summary>
    public string? Segment { get; init; }
}
