using System.Text.Json.Serialization;
using CanarySim.Core;
using CanarySim.Core.Routing;

namespace CanarySim.Service.Api;

/// <summary>Router settings as the API shows them (snake_case JSON).</summary>
/// <param name="Mode">primary, shadow, canary or candidate.</param>
/// <param name="CanaryPct">0–100.</param>
/// <param name="KillSwitch">True routes everything to v1.</param>
/// <param name="Salt">Bucketing salt.</param>
/// <param name="Phase">Rollout phase label.</param>
/// <param name="Segments">Per-segment overrides.</param>
/// <param name="Cohort">Keys that always get v2 unless the kill switch is on.</param>
public sealed record SettingsView(
    string Mode,
    double CanaryPct,
    bool KillSwitch,
    string Salt,
    string Phase,
    IReadOnlyDictionary<string, SegmentView> Segments,
    IReadOnlyList<string> Cohort)
{
    /// <summary>The stored version these settings are (on the current settings; absent inside history entries).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Version { get; init; }

    /// <summary>Maps router settings, with their stored version when they are the current ones.</summary>
    public static SettingsView From(RouterSettings s, long? version = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new SettingsView(
            WireName.Of(s.Mode), s.CanaryPct, s.KillSwitch, s.Salt, s.Phase,
            s.Segments.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .ToDictionary(kv => kv.Key, kv => new SegmentView(kv.Value.Enabled, kv.Value.CanaryPct), StringComparer.Ordinal),
            s.Cohort.Order(StringComparer.Ordinal).ToList())
        {
            Version = version,
        };
    }
}

/// <summary>One per-segment override as the API shows it.</summary>
/// <param name="Enabled">Whether v2 may serve the segment.</param>
/// <param name="CanaryPct">The segment's own percentage, or null for the global one.</param>
public sealed record SegmentView(bool Enabled, double? CanaryPct);
