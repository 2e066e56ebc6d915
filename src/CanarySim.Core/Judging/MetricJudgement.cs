namespace CanarySim.Core.Judging;

/// <summary>The judge's result for one metric, with the numbers that produced it.</summary>
public sealed record MetricJudgement
{
    /// <summary>Metric name (sample field).</summary>
    public required string Name { get; init; }
    /// <summary>Scoring group.</summary>
    public required string Group { get; init; }
    /// <summary>High, Low, Pass or Nodata.</summary>
    public required MetricClassification Classification { get; init; }
    /// <summary>Whether the classification counts as a failure given the metric's direction.</summary>
    public required bool Failed { get; init; }
    /// <summary>Whether the metric is critical.</summary>
    public bool Critical { get; init; }
    /// <summary>A critical metric whose effect size is beyond its critical bound (fails the whole judgement).</summary>
    public bool CriticalFailure { get; init; }
    /// <summary>Readable reason with the numbers.</summary>
    public required string Reason { get; init; }
    /// <summary>Mann-Whitney U of v2 (experiment) against v1 (control), when computed.</summary>
    public double? U { get; init; }
    /// <summary>Two-sided p-value (exact below 50 values a side without ties, else the tie- and continuity-corrected normal approximation), when computed.</summary>
    public double? PValue { get; init; }
    /// <summary>Hodges–Lehmann estimate of the shift v2 − v1, when computed.</summary>
    public double? Estimate { get; init; }
    /// <summary>Lower bound of the shift's confidence interval, when computed.</summary>
    public double? CiLower { get; init; }
    /// <summary>Upper bound of the shift's confidence interval, when computed.</summary>
    public double? CiUpper { get; init; }
    /// <summary>Effect size: mean(v2) / mean(v1), when defined.</summary>
    public double? EffectSize { get; init; }
    /// <summary>v1 values used.</summary>
    public int ControlCount { get; init; }
    /// <summary>v2 values used.</summary>
    public int ExperimentCount { get; init; }
}
