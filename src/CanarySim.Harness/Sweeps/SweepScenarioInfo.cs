namespace CanarySim.Harness.Sweeps;

/// <summary>A scenario as the summary names it: <c>healthy</c> or the injection, and for a range step its range, amount and unit.</summary>
/// <param name="Name"><c>healthy</c> or the injection as written.</param>
/// <param name="Range">The range it is a step of (null otherwise).</param>
/// <param name="Size">The step's signed amount (null outside a range).</param>
/// <param name="Unit">The amount's unit (<c>%</c>, <c>ms</c>, … or empty).</param>
public sealed record SweepScenarioInfo(string Name, string? Range, double? Size, string Unit)
{
    /// <summary>Whether no fault is injected.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsHealthy => Name == SweepScenario.HealthyName;

    /// <summary>The description of <paramref name="scenario"/>.</summary>
    public static SweepScenarioInfo Of(SweepScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new SweepScenarioInfo(scenario.Name, scenario.Range, scenario.Size, scenario.Unit);
    }
}
