using CanarySim.Core;
using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;

namespace CanarySim.Harness.Scenarios;

/// <summary>
/// The people behind manual-approval gates (the outside world): every approver approves unless
/// named in <see cref="Refusing"/>. A rollback-rehearsal gate runs <see cref="Rehearse"/> (wire it to
/// the real <c>RollbackRehearsal</c>); a release gate is judged over the plan's artifact files when
/// <see cref="ReleaseGates"/> is set, and fails with a message saying so otherwise.
/// </summary>
public sealed class ApprovalGateRunner : IStageGateRunner
{
    /// <summary>Approvers who refuse to approve.</summary>
    public HashSet<string> Refusing { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs the rollback rehearsal for a <c>rollback_rehearsal</c> gate (null: the gate fails saying none is wired).</summary>
    public Func<RehearsalResult>? Rehearse { get; set; }

    /// <summary>
    /// Judges a <c>release_gate</c> over the artifact files the plan names, relative to this folder (the plan's), with the real
    /// release gate, its report dated by the clock (null: the gate fails saying none is wired).
    /// </summary>
    public (RolloutPlan Plan, string ArtifactBase, TimeProvider Clock)? ReleaseGates { get; set; }

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
            GateKind.ReleaseGate when ReleaseGates is { } g => PlanArtifactGate.Judge(g.Plan, gate, stage, g.ArtifactBase, g.Clock, out _),
            _ => new GateOutcome(gate, false, $"gate {WireName.Of(gate.Kind)} is not run by the approval runner"),
        };
        Runs.Add(outcome);
        return outcome;
    }

    private static GateOutcome FromRehearsal(PlanGate gate, RehearsalResult result) =>
        new(gate, result.Passed, result.Passed
            ? $"rollback rehearsal passed ({result.Smoke.Count} smoke scenarios), previous stage restored"
            : $"rollback rehearsal failed: {string.Join(", ", result.Smoke.Where(s => !s.Passed).Select(s => s.Scenario))}", result.EvidencePath);
}
