namespace CanarySim.Service.Api;

/// <summary>
/// Body of <c>PUT /guard/config</c>: any subset of the settings, e.g. <c>{"canary_pct": 10.0}</c> or
/// <c>{"canary_pct":5,"kill_switch":false,"mode":"canary","updated_by":"admin","reason":"initial_canary"}</c>.
/// </summary>
public sealed class ConfigRequestBody
{
    /// <summary>0–100 in steps of 0.01 (the router buckets in basis points); finer values, NaN and out-of-range values are refused, never rounded or clamped.</summary>
    public double? CanaryPct { get; init; }

    /// <summary>True routes every request to v1; turning it off is a re-enable.</summary>
    public bool? KillSwitch { get; init; }

    /// <summary>Exactly one of <c>primary</c>, <c>shadow</c>, <c>canary</c>, <c>candidate</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>Bucketing salt (no control characters).</summary>
    public string? Salt { get; init; }

    /// <summary>Rollout phase label ("" clears it).</summary>
    public string? Phase { get; init; }

    /// <summary>Per-segment overrides, replacing all: segment name → override.</summary>
    public Dictionary<string, SegmentRequestBody>? Segments { get; init; }

    /// <summary>Session or user ids that always get v2 unless the kill switch is on, replacing all.</summary>
    public List<string>? Cohort { get; init; }

    /// <summary>The settings version the change is based on (optional).</summary>
    public long? Version { get; init; }

    /// <summary>Who makes the change (default <c>ops</c>).</summary>
    public string? UpdatedBy { get; init; }

    /// <summary>Why (kept in the settings history; optional here, recorded as empty when absent).</summary>
    public string? Reason { get; init; }
}
