using CanarySim.Core.Gating;
using CanarySim.Core.Rollout;

namespace CanarySim.Features.Steps;

/// <summary>What the stage-gate and rehearsal steps of one scenario produced, for the steps after them.</summary>
public sealed class StageRecord
{
    /// <summary>The last release gate report, as read back from its JSON file by the product's <see cref="GateReportReader"/>: later steps judge what the written report says.</summary>
    public GateReport? Gate { get; set; }

    /// <summary>The last release gate report as the gate produced it in memory, before it was written.</summary>
    public GateReport? GateEvaluated { get; set; }

    /// <summary>The last shadow diff report.</summary>
    public ShadowDiffReport? ShadowDiff { get; set; }

    /// <summary>What the last promotion did.</summary>
    public PromotionOutcome? Promotion { get; set; }

    /// <summary>The last rollback rehearsal.</summary>
    public RehearsalResult? Rehearsal { get; set; }

    /// <summary>Settings-history length when the scenario's own changes began (set by the first gate or rehearsal step).</summary>
    public int? HistoryMark { get; set; }
}
