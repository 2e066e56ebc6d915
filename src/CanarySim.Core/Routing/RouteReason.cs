using System.Text.Json.Serialization;

namespace CanarySim.Core.Routing;

/// <summary>Why the router picked an engine.</summary>
public enum RouteReason
{
    /// <summary>The mode's default engine (<c>default</c>): v1 in primary mode or outside the canary, v2 in candidate mode.</summary>
    [JsonStringEnumMemberName("default")]
    Default,
    /// <summary>The key's bucket is inside the canary percentage (<c>canary</c>).</summary>
    [JsonStringEnumMemberName("canary")]
    Canary,
    /// <summary>The kill switch is on: v1, whatever else is set (<c>kill_switch</c>).</summary>
    [JsonStringEnumMemberName("kill_switch")]
    KillSwitch,
    /// <summary>Shadow mode: v1 serves, v2 runs beside it and is diffed (<c>shadow</c>).</summary>
    [JsonStringEnumMemberName("shadow")]
    Shadow,
    /// <summary>The key is on the cohort allow-list (<c>cohort</c>).</summary>
    [JsonStringEnumMemberName("cohort")]
    Cohort,
    /// <summary>The request's segment has v2 disabled (<c>segment_disabled</c>).</summary>
    [JsonStringEnumMemberName("segment_disabled")]
    SegmentDisabled,
    /// <summary>No session or user id: routed by the random source (<c>unkeyed</c>).</summary>
    [JsonStringEnumMemberName("unkeyed")]
    Unkeyed,
}

/// <summary>Sizes of per-reason counter arrays.</summary>
public static class RouteReasons
{
    /// <summary>Number of reasons: a <see cref="RouteReason"/> value is an index below it.</summary>
    public const int Count = 7;
}
