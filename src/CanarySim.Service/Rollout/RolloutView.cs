using CanarySim.Core;
using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;
using CanarySim.Service.Guard;

namespace CanarySim.Service.Rollout;

/// <summary><c>GET /guard/rollout</c>: where the live rollout stands, what it waits for, its stages (for the dashboard's timeline) and its stored history.</summary>
/// <param name="Plan">The plan's name.</param>
/// <param name="Stage">The current stage.</param>
/// <param name="StageIndex">Its index.</param>
/// <param name="Percent">Its percentage.</param>
/// <param name="State"><c>running</c>, <c>waiting_approval</c>, <c>paused</c>, <c>rolled_back</c> or <c>completed</c>.</param>
/// <param name="EnteredAt">When the current stage was entered.</param>
/// <param name="HoldRemainingS">Seconds of the stage's minimum hold still to serve (0 when served).</param>
/// <param name="HealthyEvaluations">Healthy evaluations in a row in this stage (this run of the driver).</param>
/// <param name="HealthyEvaluationsRequired">How many the plan needs.</param>
/// <param name="WaitingFor">What the stage still waits for, in words.</param>
/// <param name="Paused">What paused it (<c>paused: inconclusive (judge, 90)</c>), while paused.</param>
/// <param name="Frozen">Why the rollout is frozen (the store could not record a transition), or null.</param>
/// <param name="Driving">Whether this instance drives the plan (holds the plan lock).</param>
/// <param name="Stages">Every stage with its status (<c>done</c>, <c>current</c>, <c>next</c>), hold and gates.</param>
/// <param name="History">Every stored transition, oldest first.</param>
/// <param name="Gates">Release gates and rollback rehearsals judged so far (report name or evidence included).</param>
public sealed record RolloutView(
    string Plan,
    string Stage,
    int StageIndex,
    double Percent,
    string State,
    DateTimeOffset EnteredAt,
    double HoldRemainingS,
    int HealthyEvaluations,
    int HealthyEvaluationsRequired,
    IReadOnlyList<string> WaitingFor,
    string? Paused,
    string? Frozen,
    bool Driving,
    IReadOnlyList<RolloutStageView> Stages,
    IReadOnlyList<RolloutHistoryView> History,
    IReadOnlyList<RolloutGateResult> Gates)
{
    /// <summary>How <see cref="WaitingFor"/> names a missing manual approval (followed by the approver).</summary>
    internal const string ApprovalBy = "approval by ";

    /// <summary>How <see cref="WaitingFor"/> names a frozen store (followed by why, in parentheses).</summary>
    internal const string StoreFrozen = "the store (";

    internal static RolloutView From(LiveRollout rollout, RolloutRecord? record, IReadOnlyList<RolloutRecord> history, RolloutStageMachine? machine,
        GuardRuntime runtime, bool driving, DateTimeOffset now, Func<string, bool> artifactsPosted)
    {
        var plan = rollout.Plan;
        var index = record?.StageIndex ?? 0;
        var stage = plan.Stages[index];
        var entered = record?.EnteredAt ?? now;
        var hold = machine?.EffectiveMinHold ?? stage.MinHold;
        var remaining = Math.Max(0, (entered + hold - now).TotalSeconds);
        var controller = runtime.Guard.Controller;
        var approvals = record?.Approvals ?? [];
        var missing = stage.Gates.Where(g => g.Kind == GateKind.ManualApproval && !approvals.Any(a => a.Stage == stage.Name && a.Approver == g.Approver)).ToList();
        var paused = controller.PausedBy is { } p ? PauseReasons.Headline(p.Reason) : controller.NeedsManualReview ? "manual review requested" : null;
        var state = record?.State ?? RolloutStates.Running;
        if (state == RolloutStates.Running)
        {
            state = runtime.Live.Current.KillSwitch ? RolloutStates.RolledBack
                : paused is not null ? RolloutStates.Paused
                : missing.Count > 0 ? RolloutStates.WaitingApproval
                : RolloutStates.Running;
        }
        var streak = machine?.HealthyStreak ?? 0;
        var waiting = new List<string>();
        if (state is RolloutStates.Running or RolloutStates.WaitingApproval or RolloutStates.Paused)
        {
            if (paused is not null)
            {
                waiting.Add($"resume ({paused})");
            }
            if (remaining > 0)
            {
                waiting.Add($"hold: {remaining:0} s more of {PlanDuration.Format(hold)}");
            }
            if (streak < plan.Progression.HealthyEvaluations)
            {
                waiting.Add($"healthy evaluations: {streak} of {plan.Progression.HealthyEvaluations}");
            }
            if (stage.ExitCriteria.Count > 0 && machine is not { ExitCriteriaMet: true })
            {
                waiting.Add("exit criteria: " + string.Join("; ", stage.ExitCriteria));
            }
            waiting.AddRange(missing.Select(g => ApprovalBy + g.Approver));
            var judged = record?.Gates ?? [];
            for (var g = 0; g < stage.Gates.Count; g++)
            {
                var gate = stage.Gates[g];
                if (gate.Kind is not (GateKind.ReleaseGate or GateKind.RollbackRehearsal) || judged.Any(j => j.Stage == stage.Name && j.Gate == g))
                {
                    continue;
                }
                waiting.Add(gate.Kind == GateKind.RollbackRehearsal
                    ? $"rollback rehearsal ({string.Join(", ", gate.Smoke)}): runs when the stage is otherwise ready"
                    : artifactsPosted(stage.Name) ? "release gate: artifacts posted, judged when the stage is otherwise ready"
                    : LiveGateRunner.WaitingForArtifacts(stage.Name));
            }
            if (rollout.Frozen is { } frozen)
            {
                waiting.Add(StoreFrozen + frozen + ")");
            }
        }
        var stages = plan.Stages.Select((s, i) => new RolloutStageView(
            s.Name, WireName.Of(s.Kind), s.Percent, s.MinHold.TotalSeconds,
            i < index || (i == index && state == RolloutStates.Completed) ? "done" : i == index ? "current" : "next",
            s.Gates.Select(g => g.Describe()).ToList(),
            approvals.Where(a => a.Stage == s.Name).Select(a => a.Approver).ToList())).ToList();
        return new RolloutView(plan.Name, stage.Name, index, stage.Percent, state, entered, Math.Round(remaining, 3), streak,
            plan.Progression.HealthyEvaluations, waiting, paused, rollout.Frozen, driving, stages,
            history.Select(h => new RolloutHistoryView(h.At, h.Event, h.Stage, h.Percent, h.Actor, h.Reason)).ToList(), record?.Gates ?? []);
    }
}
