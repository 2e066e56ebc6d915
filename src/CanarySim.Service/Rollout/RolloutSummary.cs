using CanarySim.Core;
using CanarySim.Core.Rollout;

namespace CanarySim.Service.Rollout;

/// <summary>
/// The live plan as <c>GET /guard/status</c> carries it, token or not: which plan runs, its stage, percentage and
/// state, and what it waits for next. Nothing a viewer without a token may not see: no approvers, no history with
/// its actors and reasons, no gate reports (those are in <c>GET /guard/rollout</c>, which needs a token).
/// </summary>
/// <param name="Plan">The plan's name.</param>
/// <param name="Stage">The current stage.</param>
/// <param name="StageIndex">Its index.</param>
/// <param name="Percent">Its percentage.</param>
/// <param name="State"><c>running</c>, <c>waiting_approval</c>, <c>paused</c>, <c>rolled_back</c> or <c>completed</c>.</param>
/// <param name="EnteredAt">When the current stage was entered.</param>
/// <param name="HoldRemainingS">Seconds of the stage's minimum hold still to serve.</param>
/// <param name="HealthyEvaluations">Healthy evaluations in a row in this stage.</param>
/// <param name="HealthyEvaluationsRequired">How many the plan needs.</param>
/// <param name="WaitingFor">What the stage still waits for, in words, an approval without the approver's name.</param>
/// <param name="NextStage">The stage after the current one, or null at the last stage or when the rollout ended.</param>
/// <param name="NextPercent">Its percentage, or null.</param>
/// <param name="Stages">Every stage with its status and the kinds of its gates.</param>
public sealed record RolloutSummary(
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
    string? NextStage,
    double? NextPercent,
    IReadOnlyList<RolloutStageSummary> Stages)
{
    /// <summary>What <paramref name="view"/> (the token holder's view of <paramref name="plan"/>) may show to anyone.</summary>
    public static RolloutSummary From(RolloutView view, RolloutPlan plan)
    {
        var ended = view.State is RolloutStates.RolledBack or RolloutStates.Completed;
        var next = !ended && view.StageIndex + 1 < plan.Stages.Count ? plan.Stages[view.StageIndex + 1] : null;
        return new RolloutSummary(view.Plan, view.Stage, view.StageIndex, view.Percent, view.State, view.EnteredAt, view.HoldRemainingS,
            view.HealthyEvaluations, view.HealthyEvaluationsRequired, view.WaitingFor.Select(Public).ToList(), next?.Name, next?.Percent,
            view.Stages.Select((s, i) => new RolloutStageSummary(s.Name, s.Kind, s.Percent, s.MinHoldS, s.Status,
                plan.Stages[i].Gates.Select(g => WireName.Of(g.Kind)).ToList())).ToList());
    }

    /// <summary>A waiting item without who may approve or the store's error text.</summary>
    private static string Public(string waiting) =>
        waiting.StartsWith(RolloutView.ApprovalBy, StringComparison.Ordinal) ? "a manual approval (who may approve is shown with a token)"
        : waiting.StartsWith(RolloutView.StoreFrozen, StringComparison.Ordinal) ? "the store: the rollout is frozen until it records transitions again"
        : waiting;
}
