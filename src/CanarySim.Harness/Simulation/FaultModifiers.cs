namespace CanarySim.Harness.Simulation;

/// <summary>What the faults active during one evaluation interval do to one engine's runs.</summary>
internal readonly struct FaultModifiers
{
    /// <summary>No fault: runs are drawn from the engine's baseline.</summary>
    public static FaultModifiers None => new() { LatencyFactor = 1, CostFactor = 1 };

    public double LatencyFactor { get; init; }
    public double LatencyAdd { get; init; }
    public double CostFactor { get; init; }
    public double CostAdd { get; init; }
    public double QualityAdd { get; init; }
    public double Errors { get; init; }
    public double Timeouts { get; init; }
    public double InvalidOutput { get; init; }
    public double Violations { get; init; }

    /// <summary>v2's execution pipeline is stalled: its runs never complete.</summary>
    public bool Stall { get; init; }
}
