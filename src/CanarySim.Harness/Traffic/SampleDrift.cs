namespace CanarySim.Harness.Traffic;

/// <summary>How an engine's metrics change per hour of (virtual) time since generation started — for "gradual degradation" rehearsals.</summary>
public sealed record SampleDrift
{
    /// <summary>Quality points added per hour (negative degrades). The default value is 0.</summary>
    public double QualityPerHour { get; init; }

    /// <summary>Milliseconds added to the median latency per hour. The default value is 0.</summary>
    public double LatencyMsPerHour { get; init; }

    /// <summary>Cents added to the mean cost per hour. The default value is 0.</summary>
    public double CostCentsPerHour { get; init; }

    /// <summary>Added to the error rate (0–1) per hour. The default value is 0.</summary>
    public double ErrorRatePerHour { get; init; }

    /// <summary>No drift.</summary>
    public static SampleDrift None { get; } = new();
}
