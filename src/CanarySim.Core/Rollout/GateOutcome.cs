namespace CanarySim.Core.Rollout;

/// <summary>The result of running one gate.</summary>
/// <param name="Gate">The plan gate that ran, with its kind and settings (approver, artifacts, smoke scenarios).</param>
/// <param name="Passed">Whether it said yes.</param>
/// <param name="Detail">What happened, in words (who approved, GO/NO-GO with failed checks, rehearsal result).</param>
/// <param name="EvidencePath">Where the gate's evidence was written, if anywhere (release gate report, rehearsal log).</param>
public sealed record GateOutcome(PlanGate Gate, bool Passed, string Detail, string? EvidencePath = null)
{
    /// <summary>
    /// Not decided yet (e.g. a live release gate whose artifacts were not posted, an approval not given): the stage holds
    /// without breaking the detector's healthy streak, and the gate is asked again at the next eligible evaluation. Only
    /// meaningful when <see cref="Passed"/> is false; a failed, decided release gate or rehearsal rolls back.
    /// </summary>
    public bool Pending { get; init; }
}
