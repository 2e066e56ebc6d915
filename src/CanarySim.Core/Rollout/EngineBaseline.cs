using System.ComponentModel.DataAnnotations;

namespace CanarySim.Core.Rollout;

/// <summary>
/// How a synthetic engine behaves before any injected fault: the simulator draws each run's latency,
/// quality, cost and failures around these figures. Defaults describe a healthy planner engine.
/// </summary>
public sealed record EngineBaseline
{
    /// <summary>Median latency in ms. The default value is 700.</summary>
    [Range(1.0, 600_000.0)]
    public double LatencyP50Ms { get; init; } = 700;

    /// <summary>Spread of the log-normal latency (sigma of ln latency). The default value is 0.25 (p95 ≈ 1.5× p50): a 100-run p95 evaluated every minute then stays clear of a threshold 1.5× above its true value.</summary>
    [Range(0.0, 3.0)]
    public double LatencySigma { get; init; } = 0.25;

    /// <summary>Mean quality (0–100). The default value is 94.</summary>
    [Range(0.0, 100.0)]
    public double Quality { get; init; } = 94;

    /// <summary>Standard deviation of quality. The default value is 3.</summary>
    [Range(0.0, 50.0)]
    public double QualitySd { get; init; } = 3;

    /// <summary>Mean cost per run in cents. The default value is 1.8.</summary>
    [Range(0.0, 10_000.0)]
    public double CostCents { get; init; } = 1.8;

    /// <summary>Error (failed run) probability. The default value is 0.003.</summary>
    [Range(0.0, 1.0)]
    public double ErrorRate { get; init; } = 0.003;

    /// <summary>Policy violation probability per run. The default value is 0.</summary>
    [Range(0.0, 1.0)]
    public double PolicyViolationRate { get; init; }

    /// <summary>Complaint probability per run. The default value is 0.00002.</summary>
    [Range(0.0, 1.0)]
    public double ComplaintRate { get; init; } = 0.00002;

    /// <summary>Probability that this engine picks a different agent than v1 for the same request (v2 only). The default value is 0.08.</summary>
    [Range(0.0, 1.0)]
    public double Divergence { get; init; } = 0.08;

    /// <summary>Mean tokens per run. The default value is 900.</summary>
    [Range(0, 1_000_000)]
    public int Tokens { get; init; } = 900;

    /// <summary>This engine's application metrics, overriding the plan's <see cref="PlanTraffic.Metrics"/> by name. The default value is none.</summary>
    public IReadOnlyDictionary<string, PlanMetric> Metrics { get; init; } = new Dictionary<string, PlanMetric>();
}
