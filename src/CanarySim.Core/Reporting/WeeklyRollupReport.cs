namespace CanarySim.Core.Reporting;

/// <summary>The weekly rollup's content.</summary>
public sealed record WeeklyRollupReport
{
    /// <summary>ISO week label of the period's end, e.g. <c>2025-W42</c>.</summary>
    public required string Week { get; init; }
    /// <summary>Start of the period (inclusive).</summary>
    public required DateTimeOffset PeriodStart { get; init; }
    /// <summary>End of the period (exclusive).</summary>
    public required DateTimeOffset PeriodEnd { get; init; }
    /// <summary>Route decisions in the period.</summary>
    public long TotalRuns { get; init; }
    /// <summary>Runs served by v1.</summary>
    public long V1Runs { get; init; }
    /// <summary>Runs served by v2.</summary>
    public long V2Runs { get; init; }
    /// <summary>Runs served by v1 because the kill switch was on.</summary>
    public long KillSwitchRuns { get; init; }
    /// <summary>Decision diffs in the period (shadow comparisons).</summary>
    public long Compared { get; init; }
    /// <summary>Diffs where v1 and v2 chose different agents.</summary>
    public long AgentChanges { get; init; }
    /// <summary>Diffs with any change (agent, steps, tools, dry_run).</summary>
    public long AnyChanges { get; init; }
    /// <summary><see cref="AgentChanges"/> / <see cref="Compared"/> (0 without diffs).</summary>
    public double AgentChangeRate => Compared == 0 ? 0 : (double)AgentChanges / Compared;
    /// <summary>Top agent disagreements, most frequent first.</summary>
    public IReadOnlyList<AgentDisagreement> TopDisagreements { get; init; } = [];
    /// <summary>Rollbacks in the period: when and why.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Reason)> Rollbacks { get; init; } = [];
    /// <summary>Recommendations, each starting with ✅, ⚠️, ⛔ or ℹ️.</summary>
    public IReadOnlyList<string> Recommendations { get; init; } = [];
    /// <summary>Action items (Markdown checkboxes without the box).</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];
}
