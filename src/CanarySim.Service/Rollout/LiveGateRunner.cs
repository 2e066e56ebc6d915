using CanarySim.Core.Rollout;

namespace CanarySim.Service.Rollout;

/// <summary>
/// The gates of a live rollout that need more than the detector: a manual approval passes once the approver
/// the gate names has approved that stage (<c>POST /guard/rollout/approve</c>), and waits otherwise.
/// Other kinds never reach it: <see cref="LivePlanRules"/> refuses them at start.
/// </summary>
internal sealed class LiveGateRunner(Func<IReadOnlyList<RolloutApproval>> approvals) : IStageGateRunner
{
    public GateOutcome Run(PlanGate gate, PlanStage stage, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(stage);
        if (gate.Kind != GateKind.ManualApproval)
        {
            return new GateOutcome(gate, false, $"{gate.Kind.ToWire()} gates do not run live");
        }
        var approval = approvals().LastOrDefault(a => a.Stage == stage.Name && a.Approver == gate.Approver);
        return approval is null
            ? new GateOutcome(gate, false, $"waiting for approval by {gate.Approver}")
            : new GateOutcome(gate, true, $"approved by {approval.Approver}: {approval.Reason}");
    }
}
