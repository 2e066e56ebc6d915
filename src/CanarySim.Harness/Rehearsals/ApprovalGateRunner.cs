using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Rehearsals;

/// <summary>
/// The people behind manual-approval gates (the outside world): every approver approves unless
/// named in <see cref="Refusing"/>. A rollback-rehearsal gate runs <see cref="Rehearse"/> (wire it to
/// the real <c>RollbackRehearsal</c>); release-gate gates are not run by this runner and fail with a
/// message saying so (rehearse them with the gate steps instead).
/// </summary>
public sealed class ApprovalGateRunner : IStageGateRunner
{
    /// <summary>Approvers who refuse to approve.</summary>
    public HashSet<string> Refusing { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs the rollback rehearsal for a <c>rollback_rehearsal</c> gate (null: the gate fails saying none is wired).</summary>
    public Func<RehearsalResult>? Rehearse { get; set; }

    /// <summary>Every gate run, in order.</summary>
    public List<GateOutcome> Runs { get; } = [];

    /// <inheritdoc />
    public GateOutcome Run(PlanGate gate, PlanStage stage, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(stage);
        var outcome = gate.Kind switch
        {
            GateKind.ManualApproval when Refusing.Contains(gate.Approver) => new GateOutcome(gate, false, $"{gate.Approver} did not approve leaving {stage.Name}"),
            GateKind.ManualApproval => new GateOutcome(gate, true, $"approved by {gate.Approver}"),
            GateKind.RollbackRehearsal when Rehearse is { } rehearse => FromRehearsal(gate, rehearse()),
            GateKind.RollbackRehearsal => new GateOutcome(gate, false, "no rollback rehearsal is wired to this runner"),
            _ => new GateOutcome(gate, false, $"gate {gate.Kind.ToWire()} is not run by the approval runner"),
        };
        Runs.Add(outcome);
        return outcome;
    }

    private static GateOutcome FromRehearsal(PlanGate gate, RehearsalResult result) =>
        new(gate, result.Passed, result.Passed
            ? $"rollback rehearsal passed ({result.Smoke.Count} smoke scenarios), previous stage restored"
            : $"rollback rehearsal failed: {string.Join(", ", result.Smoke.Where(s => !s.Passed).Select(s => s.Scenario))}", result.EvidencePath);
}
