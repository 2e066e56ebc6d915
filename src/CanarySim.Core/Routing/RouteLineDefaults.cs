namespace CanarySim.Core.Routing;

/// <summary>The values a routed line falls back to for the fields it leaves out (the command line's, for <c>canarysim route</c>).</summary>
public sealed record RouteLineDefaults
{
    /// <summary>Session id (the bucketing key).</summary>
    public string? Key { get; init; }

    /// <summary>User id (fallback key, cohort membership).</summary>
    public string? User { get; init; }

    /// <summary>Segment of the request (e.g. agent type), matched against the settings' segment overrides.</summary>
    public string? Segment { get; init; }

    /// <summary>Canary percentage (0–100); null: none given.</summary>
    public double? Pct { get; init; }

    /// <summary>Bucketing salt. The default value is <see cref="RouterSettings.Default"/>'s.</summary>
    public string Salt { get; init; } = RouterSettings.Default.Salt;

    /// <summary>Bucketing algorithm. The default value is <see cref="BucketingAlgorithm.CanarySim"/>.</summary>
    public BucketingAlgorithm Algorithm { get; init; } = BucketingAlgorithm.CanarySim;

    /// <summary>Router mode; null: by <see cref="RouterModeRule"/> from primary (canary when a percentage above 0 is given).</summary>
    public RouterMode? Mode { get; init; }

    /// <summary>True: the kill switch is on and every line is routed to v1 (<c>--kill-switch</c>).</summary>
    public bool KillSwitch { get; init; }

    /// <summary>The settings a request is routed with; the mode follows <see cref="RouterModeRule"/> from primary.</summary>
    public static RouterSettings Settings(double? pct, string salt, RouterMode? mode, bool killSwitch) => new()
    {
        CanaryPct = pct ?? 0,
        Salt = salt,
        Mode = RouterModeRule.Resolve(RouterMode.Primary, mode, pct),
        KillSwitch = killSwitch,
    };
}
