namespace CanarySim.Service.Api;

/// <summary>One per-segment override in <c>PUT /guard/config</c>.</summary>
public sealed class SegmentRequestBody
{
    /// <summary>Whether v2 may serve the segment at all.</summary>
    public required bool Enabled { get; init; }

    /// <summary>The segment's own percentage (0–100 in steps of 0.01), or null for the global one.</summary>
    public double? CanaryPct { get; init; }
}
