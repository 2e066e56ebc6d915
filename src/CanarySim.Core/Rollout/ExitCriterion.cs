using System.Globalization;

namespace CanarySim.Core.Rollout;

/// <summary>
/// One exit criterion of a stage, e.g. <c>p95_latency_ms &lt; 2000 for 48h</c>. Without <see cref="For"/> the
/// latest detector window must satisfy the comparison; with it, the metric aggregated over the stage's last
/// <see cref="For"/> must (and the stage must have lasted that long) — or, when no period figures are
/// available, every evaluation during that time must have satisfied it.
/// </summary>
public sealed record ExitCriterion
{
    /// <summary>The metric (see <see cref="RolloutMetrics.Names"/>).</summary>
    public required string Metric { get; init; }

    /// <summary>Comparison: <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>==</c>.</summary>
    public required string Op { get; init; }

    /// <summary>The value compared against.</summary>
    public required double Value { get; init; }

    /// <summary>The period the metric is judged over. Zero means "the latest detector window".</summary>
    public TimeSpan For { get; init; }

    /// <summary>Line in the plan file (0 when unknown).</summary>
    public int Line { get; init; }

    /// <summary>Whether <paramref name="actual"/> satisfies the comparison (a missing value never does).</summary>
    public bool IsSatisfiedBy(double? actual)
    {
        if (actual is not { } v || double.IsNaN(v))
        {
            return false;
        }
        return Op switch
        {
            "<" => v < Value,
            "<=" => v <= Value,
            ">" => v > Value,
            ">=" => v >= Value,
            "==" => v == Value,
            _ => false,
        };
    }

    /// <summary>E.g. <c>p95_latency_ms &lt; 2000 for 2d</c>.</summary>
    public override string ToString() =>
        $"{Metric} {Op} {Value.ToString(CultureInfo.InvariantCulture)}" + (For > TimeSpan.Zero ? $" for {PlanDuration.Format(For)}" : "");
}
