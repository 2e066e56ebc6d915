namespace CanarySim.Core.Gating;

/// <summary>The release gate's verdict with everything that produced it.</summary>
/// <param name="Label">Report label.</param>
/// <param name="Stage">Stage gated.</param>
/// <param name="OverallGo">True when every non-skipped check passed.</param>
/// <param name="Checks">The five checks, in the order the gate runs them.</param>
/// <param name="NextStage">On GO: <c>25</c>, <c>50</c>, <c>100</c> or <c>hold_100pct_monitor</c>; null on NO-GO.</param>
/// <param name="RollbackAction">On NO-GO: <c>assistant_engine=v2</c>; null on GO.</param>
/// <param name="Defects">One per failed check.</param>
/// <param name="Counts">What was read and scored.</param>
/// <param name="Inputs">The artifacts read, in the order given.</param>
/// <param name="LatencyP95SlaMs">SLA used.</param>
/// <param name="BaselineCorrectionRate">Baseline used, if any.</param>
/// <param name="GeneratedAt">When the report was produced.</param>
public sealed record GateReport(
    string Label,
    int Stage,
    bool OverallGo,
    IReadOnlyList<GateCheck> Checks,
    string? NextStage,
    string? RollbackAction,
    IReadOnlyList<GateDefect> Defects,
    GateCounts Counts,
    IReadOnlyList<UatArtifactHeader> Inputs,
    double LatencyP95SlaMs,
    double? BaselineCorrectionRate,
    DateTimeOffset GeneratedAt)
{
    /// <summary><c>GO</c> or <c>NO-GO</c>.</summary>
    public string Verdict => OverallGo ? "GO" : "NO-GO";

    /// <summary>Report file name without extension: <c>&lt;label&gt;_release_gate_stage&lt;N&gt;</c>.</summary>
    public string FileStem => $"{Label}_release_gate_stage{Stage}";
}
