using CanarySim.Core.Detection;

namespace CanarySim.Core.Rollout;

/// <summary>
/// What the stage machine is told after one evaluation of the detector: its verdict and action,
/// the v2 figures, and the router settings as they now are (the rollback controller may have changed them).
/// <see cref="RolloutDriver"/> builds it from a guard outcome.
/// </summary>
public sealed record StageObservation
{
    /// <summary>When the evaluation ran.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The detector's verdict; null when the metrics could not be read (nothing is judged then).</summary>
    public required VerdictOutcome? Verdict { get; init; }

    /// <summary>The action in force: anything but <see cref="VerdictAction.None"/> keeps the stage from being left.</summary>
    public VerdictAction Action { get; init; }

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

    /// <summary>False when metrics could not be read (e.g. the metrics endpoint refused auth).</summary>
    public bool MetricsAvailable => Verdict is not null;
}
