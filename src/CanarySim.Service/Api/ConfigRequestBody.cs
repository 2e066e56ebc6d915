namespace CanarySim.Service.Api;

/// <summary>OpenAPI shape of the <c>PUT /guard/config</c> body (parsed strictly by <see cref="ConfigUpdate"/>; unknown fields are rejected).</summary>
/// <param name="CanaryPct">0–100; NaN, strings and out-of-range values are rejected.</param>
/// <param name="KillSwitch">True routes every request to v1; turning it off is a re-enable.</param>
/// <param name="Mode">primary, shadow, canary or candidate.</param>
/// <param name="Salt">Bucketing salt.</param>
/// <param name="Phase">Rollout phase label.</param>
/// <param name="UpdatedBy">Who (default <c>ops</c>).</param>
/// <param name="Reason">Why (required).</param>
/// <param name="Segments">Per-segment overrides, replacing all: segment name → <c>{"enabled": bool, "canary_pct": number|null}</c>.</param>
/// <param name="Cohort">Session or user ids that always get v2 unless the kill switch is on, replacing all.</param>
public sealed record ConfigRequestBody(string Reason, double? CanaryPct = null, bool? KillSwitch = null, string? Mode = null, string? Salt = null, string? Phase = null, string? UpdatedBy = null,
    IReadOnlyDictionary<string, SegmentView>? Segments = null, IReadOnlyList<string>? Cohort = null);
