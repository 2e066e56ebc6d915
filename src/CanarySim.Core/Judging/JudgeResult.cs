namespace CanarySim.Core.Judging;

/// <summary>The statistical judge's verdict: per-metric classifications, group scores, final score and classification.</summary>
public sealed record JudgeResult
{
    /// <summary>Final score 0–100 (weighted group scores; 0 when a critical metric failed).</summary>
    public required double Score { get; init; }
    /// <summary>pass, marginal or fail.</summary>
    public required JudgeClassification Classification { get; init; }
    /// <summary>Readable summary with the numbers.</summary>
    public required string Reason { get; init; }
    /// <summary>Per-metric results.</summary>
    public IReadOnlyList<MetricJudgement> Metrics { get; init; } = [];
    /// <summary>Per-group scores.</summary>
    public IReadOnlyList<GroupScore> Groups { get; init; } = [];
}
