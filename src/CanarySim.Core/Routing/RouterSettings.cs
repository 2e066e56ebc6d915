using System.Collections.Immutable;

namespace CanarySim.Core.Routing;

/// <summary>
/// The router's runtime settings. Immutable: a change is a new snapshot swapped
/// atomically, so a config flip under concurrent traffic never yields a torn decision.
/// </summary>
public sealed record RouterSettings
{
    /// <summary>Traffic mode. The default value is <see cref="RouterMode.Primary"/>.</summary>
    public RouterMode Mode { get; init; } = RouterMode.Primary;

    /// <summary>Percentage of keys routed to v2 in canary mode (0–100). The default value is 0.</summary>
    public double CanaryPct { get; init; }

    /// <summary>When true, every request goes to v1 whatever else is set. The default value is false.</summary>
    public bool KillSwitch { get; init; }

    /// <summary>Part of the bucketing hash (<c>salt + ":" + key</c>). The default value is <c>canarysim</c>.</summary>
    public string Salt { get; init; } = "canarysim";

    /// <summary>Rollout phase label carried on route events (e.g. <c>phase8</c>). The default value is empty.</summary>
    public string Phase { get; init; } = "";

    /// <summary>Per-segment overrides keyed by segment (e.g. agent type), ordinal comparison.</summary>
    public ImmutableDictionary<string, SegmentOverride> Segments { get; init; } =
        ImmutableDictionary<string, SegmentOverride>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Keys (session or user ids) that always get v2 unless the kill switch is on.</summary>
    public ImmutableHashSet<string> Cohort { get; init; } = ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal);

    /// <summary>The default settings: primary mode, 0 %, kill switch off.</summary>
    public static RouterSettings Default { get; } = new();

    /// <summary>Value equality including the collections (records compare them by reference otherwise).</summary>
    public bool Equals(RouterSettings? other) =>
        other is not null && Mode == other.Mode && CanaryPct.Equals(other.CanaryPct) && KillSwitch == other.KillSwitch
        && Salt == other.Salt && Phase == other.Phase
        && Segments.Count == other.Segments.Count && Segments.All(kv => other.Segments.TryGetValue(kv.Key, out var o) && o == kv.Value)
        && Cohort.SetEquals(other.Cohort);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Mode, CanaryPct, KillSwitch, Salt, Phase, Segments.Count, Cohort.Count);
}
