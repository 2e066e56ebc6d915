namespace CanarySim.Core.Routing;

/// <summary>
/// A per-segment override (e.g. per agent type). A disabled segment always gets v1
/// (reason <c>segment_disabled</c>); an enabled one with <see cref="CanaryPct"/> uses its own percentage.
/// </summary>
/// <param name="Enabled">Whether v2 may serve this segment at all.</param>
/// <param name="CanaryPct">The segment's own percentage (0–100), or null to use the global one.</param>
public sealed record SegmentOverride(bool Enabled, double? CanaryPct = null);
