namespace CanarySim.Core.Rollout;

/// <summary>
/// One application metric of the simulated runs (<c>traffic.metrics</c> of a plan): a run reports
/// <see cref="Value"/> (plus normal noise of <see cref="Sd"/>, never below 0) on a <see cref="Share"/> of the runs
/// — of <see cref="Agent"/>'s runs only when set — and 0 on the others. A bool metric is a share alone
/// (<c>llm_call: { share: 0.1, agent: SICK_CALLER }</c>); a number is a value (<c>staff_response_ms: { value: 1200, sd: 150 }</c>).
/// </summary>
public sealed record PlanMetric
{
    /// <summary>Share (0–1) of the runs that report <see cref="Value"/>. The default value is 1.</summary>
    public double Share { get; init; } = 1;

    /// <summary>What those runs report. The default value is 1 (true).</summary>
    public double Value { get; init; } = 1;

    /// <summary>Standard deviation of normal noise around <see cref="Value"/>. The default value is 0.</summary>
    public double Sd { get; init; }

    /// <summary>Only this agent's runs report it (the others report 0); null = every agent. The default value is null.</summary>
    public string? Agent { get; init; }
}
