namespace CanarySim.Core.Reporting;

/// <summary>Everything the HTML simulation report shows; produced by the simulator, rendered by <c>CanarySim.Reports.SimulationReportWriter</c>.</summary>
public sealed record SimulationReport
{
    /// <summary>Report title.</summary>
    public required string Title { get; init; }
    /// <summary>Plan name.</summary>
    public required string Plan { get; init; }
    /// <summary>Plan description.</summary>
    public string Description { get; init; } = "";
    /// <summary>Random seed.</summary>
    public int Seed { get; init; }
    /// <summary>Engines mode (<c>inprocess</c> or <c>wiremock</c>).</summary>
    public string Engines { get; init; } = "inprocess";
    /// <summary>Virtual start.</summary>
    public required DateTimeOffset Start { get; init; }
    /// <summary>Virtual end.</summary>
    public required DateTimeOffset End { get; init; }
    /// <summary>Requests simulated.</summary>
    public long Requests { get; init; }
    /// <summary>Requests served by v2.</summary>
    public long V2Served { get; init; }
    /// <summary>v2 failures served by v1 instead.</summary>
    public long Fallbacks { get; init; }
    /// <summary>Detector evaluations run.</summary>
    public long Evaluations { get; init; }
    /// <summary>How the rollout ended.</summary>
    public required SimulationOutcome Outcome { get; init; }
    /// <summary>One line for the index, e.g. <c>completed: 100 % on v2</c>.</summary>
    public required string Verdict { get; init; }
    /// <summary>Stage at the end.</summary>
    public string FinalStage { get; init; } = "";
    /// <summary>Router percentage at the end.</summary>
    public double FinalPercent { get; init; }
    /// <summary>Stage timeline.</summary>
    public IReadOnlyList<StageSpan> Stages { get; init; } = [];
    /// <summary>Chart buckets, oldest first.</summary>
    public IReadOnlyList<ChartBucket> Series { get; init; } = [];
    /// <summary>Thresholds drawn on the charts.</summary>
    public ReportThresholds Thresholds { get; init; } = new();
    /// <summary>Chart markers.</summary>
    public IReadOnlyList<ReportMarker> Markers { get; init; } = [];
    /// <summary>Verdict trail (changes only).</summary>
    public IReadOnlyList<VerdictTrailEntry> VerdictTrail { get; init; } = [];
    /// <summary>Injected faults and what became of them.</summary>
    public IReadOnlyList<InjectionOutcome> Injections { get; init; } = [];
    /// <summary>Gate outcomes in words, oldest first.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Stage, string Gate, bool Passed, string Detail)> Gates { get; init; } = [];
    /// <summary>Relative link to the evidence log (Markdown), if written.</summary>
    public string? EvidenceHref { get; init; }
}
