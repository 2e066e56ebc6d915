namespace CanarySim.Core.Rollout;

/// <summary>One gate of a stage.</summary>
public sealed record PlanGate
{
    /// <summary>What kind of gate.</summary>
    public required GateKind Kind { get; init; }

    /// <summary>For <see cref="GateKind.ManualApproval"/>: who approves. The default value is <c>release-manager</c>.</summary>
    public string Approver { get; init; } = "release-manager";

    /// <summary>For <see cref="GateKind.ReleaseGate"/>: raw UAT artifact paths (relative to the plan file).</summary>
    public IReadOnlyList<string> Artifacts { get; init; } = [];

    /// <summary>For <see cref="GateKind.ReleaseGate"/>: the gate stage (one of the release gate's stages, <see cref="Gating.GateOptions.Stages"/>); defaults to the stage's percent.</summary>
    public int? GateStage { get; init; }

    /// <summary>The release-gate stage this gate judges when it guards a stage at <paramref name="stagePercent"/>: <see cref="GateStage"/>, else the stage's percent rounded.</summary>
    public int GatedStage(double stagePercent) => GateStage ?? (int)Math.Round(stagePercent);

    /// <summary>For <see cref="GateKind.ReleaseGate"/>: the latency p95 SLA in ms. The default value is 5000.</summary>
    public double LatencyP95SlaMs { get; init; } = 5000;

    /// <summary>For <see cref="GateKind.ReleaseGate"/>: the baseline correction rate, if any.</summary>
    public double? BaselineCorrectionRate { get; init; }

    /// <summary>For <see cref="GateKind.RollbackRehearsal"/>: smoke scenarios. The default value is FIN-01, SAL-01, STK-01, WR-02.</summary>
    public IReadOnlyList<string> Smoke { get; init; } = ["FIN-01", "SAL-01", "STK-01", "WR-02"];

    /// <summary>Line of the gate in the plan file (0 when unknown).</summary>
    public int Line { get; init; }

    /// <summary>A short human description, e.g. <c>manual approval (release-manager)</c>.</summary>
    public string Describe() => Kind switch
    {
        GateKind.Detector => "detector verdict pass",
        GateKind.ManualApproval => $"manual approval ({Approver})",
        GateKind.ReleaseGate => $"release gate over {Artifacts.Count} artifact(s)",
        _ => $"rollback rehearsal ({string.Join(", ", Smoke)})",
    };
}
