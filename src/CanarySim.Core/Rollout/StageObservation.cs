namespace CanarySim.Core.Rollout;

/// <summary>
/// What the stage machine is told after one evaluation of the real detector: its verdict and action,
/// the v2 figures, and the router settings as they now are (the rollback controller may have changed them).
/// </summary>
public sealed record StageObservation
{
    /// <summary>When the evaluation ran (virtual time).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Detector verdict: <c>pass</c>, <c>fail</c>, <c>inconclusive</c> or <c>insufficient_data</c>.</summary>
    public required string Verdict { get; init; }

    /// <summary>Detector action: <c>none</c>, <c>hold</c>, <c>manual_review</c>, <c>pause</c>, <c>reduce_traffic</c>, <c>rollback</c>.</summary>
    public string Action { get; init; } = "none";

    /// <summary>Breach reasons of the evaluation.</summary>
    public IReadOnlyList<string> Breaches { get; init; } = [];

    /// <summary>v2 figures for exit criteria.</summary>
    public RolloutMetrics Metrics { get; init; } = new();

    /// <summary>The kill switch as the router now sees it.</summary>
    public bool KillSwitch { get; init; }

    /// <summary>The canary percentage as the router now sees it (may be below the stage's after reduce_traffic).</summary>
    public double ServedPercent { get; init; }

    /// <summary>
    /// Figures aggregated over a period ending now (metric name, period) → value, for exit criteria with a
    /// <c>for</c> duration ("error rate &lt; 1 % over 48h"). Null: such criteria must instead hold at every
    /// evaluation during the period.
    /// </summary>
    public Func<string, TimeSpan, double?>? PeriodMetrics { get; init; }

    /// <summary>False when metrics could not be read (e.g. the metrics endpoint refused auth): nothing is judged.</summary>
    public bool MetricsAvailable { get; init; } = true;
}
