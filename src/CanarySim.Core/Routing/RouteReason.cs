namespace CanarySim.Core.Routing;

/// <summary>Why the router picked an engine.</summary>
public enum RouteReason
{
    /// <summary>The mode's default engine (<c>default</c>): v1 in primary mode or outside the canary, v2 in candidate mode.</summary>
    Default,
    /// <summary>The key's bucket is inside the canary percentage (<c>canary</c>).</summary>
    Canary,
    /// <summary>The kill switch is on: v1, whatever else is set (<c>kill_switch</c>).</summary>
    KillSwitch,
    /// <summary>Shadow mode: v1 serves, v2 runs beside it and is diffed (<c>shadow</c>).</summary>
    Shadow,
    /// <summary>The key is on the cohort allow-list (<c>cohort</c>).</summary>
    Cohort,
    /// <summary>The request's segment has v2 disabled (<c>segment_disabled</c>).</summary>
    SegmentDisabled,
    /// <summary>No session or user id: routed by the random source (<c>unkeyed</c>).</summary>
    Unkeyed,
}

/// <summary>Wire names of <see cref="RouteReason"/> (snake_case).</summary>
public static class RouteReasonNames
{
    /// <summary>Number of reasons (for counter arrays).</summary>
    public const int Count = 7;

    /// <summary>Every reason's wire name, indexed by the enum value.</summary>
    public static IReadOnlyList<string> WireNames { get; } = ["default", "canary", "kill_switch", "shadow", "cohort", "segment_disabled", "unkeyed"];

    /// <summary>snake_case wire name.</summary>
    public static string ToWire(this RouteReason reason) =>
        (uint)reason < Count ? WireNames[(int)reason] : throw new ArgumentOutOfRangeException(nameof(reason));

    /// <summary>Parses a wire name (case-insensitive).</summary>
    public static bool TryParse(string? text, out RouteReason reason)
    {
        var t = text?.Trim();
        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(WireNames[i], t, StringComparison.OrdinalIgnoreCase))
            {
                reason = (RouteReason)i;
                return true;
            }
        }
        reason = default;
        return false;
    }
}
