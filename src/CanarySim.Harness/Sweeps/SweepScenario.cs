using CanarySim.Harness.Simulation;

namespace CanarySim.Harness.Sweeps;

/// <summary>
/// What a sweep runs the plan under for every seed: no injection (<see cref="Healthy"/>), one injected fault, or one
/// step of an injection range (then <see cref="Range"/> names the range and <see cref="Size"/> is the step's amount).
/// </summary>
public sealed record SweepScenario
{
    /// <summary>The scenario name of the healthy runs.</summary>
    public const string HealthyName = "healthy";

    /// <summary><c>healthy</c>, or the injection as written (a range step is written out, e.g. <c>v2.latency+30% at day 9</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The injected fault (null when healthy).</summary>
    public FaultInjection? Injection { get; init; }

    /// <summary>The range this step belongs to, as written (null for a healthy run or a single injection).</summary>
    public string? Range { get; init; }

    /// <summary>The step's signed amount in <see cref="Unit"/> (e.g. 30 for <c>+30%</c>); null outside a range.</summary>
    public double? Size { get; init; }

    /// <summary>The unit of <see cref="Size"/> as written (<c>%</c>, <c>ms</c>, … or empty).</summary>
    public string Unit { get; init; } = "";

    /// <summary>Whether no fault is injected.</summary>
    public bool IsHealthy => Injection is null;

    /// <summary>The healthy scenario.</summary>
    public static SweepScenario Healthy { get; } = new() { Name = HealthyName };
}
