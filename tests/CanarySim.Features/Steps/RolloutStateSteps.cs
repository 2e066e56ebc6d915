using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;
using Reqnroll;

namespace CanarySim.Features.Steps;

/// <summary>
/// One step for "where is the rollout now", whichever part of the control plane moved it: the
/// promotion after a stage gate, the tiered rollout, or the rollback controller.
/// </summary>
[Binding]
public sealed class RolloutStateSteps(ControlPlane plane, StageRecord stages, TierRecord tiers)
{
    /// <summary>
    /// Checks where the rollout is. After a stage gate's promotion: <c>promoted</c>, <c>held</c>,
    /// <c>blocked</c> or <c>rolled back</c> (what the promotion did). In a tiered rollout: <c>running</c>,
    /// <c>completed</c> or <c>rolled back</c> (its status). Otherwise the rollback controller's state:
    /// <c>active</c>, <c>paused</c>, <c>rolling back</c> or <c>rolled back</c>. <c>rolled_back</c> and
    /// <c>rolling_back</c> read the same; "the rollout status is …" is the same step.
    /// </summary>
    [Then(@"^the rollout (?:status )?is (promoted|held|blocked|running|completed|active|paused|rolling[ _]back|rolled[ _]back)$")]
    public void RolloutIs(string state)
    {
        var wanted = state.Replace('_', ' ');
        switch (wanted)
        {
            case "promoted" or "held" or "blocked":
                Promotion(wanted);
                break;
            case "running" or "completed":
                Tiers(wanted);
                break;
            case "rolled back" when tiers.Rollout is not null:
                Tiers(wanted);
                break;
            case "rolled back" when stages.Promotion is not null:
                Promotion(wanted);
                break;
            default:
                var actual = Words(plane.Controller.State);
                Assert.That(actual, Is.EqualTo(wanted), $"the rollback controller says the rollout is {actual}, not {wanted}");
                break;
        }
    }

    /// <summary>
    /// Checks that the rollout is paused because its analysis was truly inconclusive, naming the check and
    /// its value as the status and the dashboard show it, e.g. <c>paused: inconclusive (judge, 90)</c>.
    /// </summary>
    [Then(@"^the rollout is (paused: inconclusive \([a-z_0-9]+, [0-9.]+\))$")]
    public void PausedInconclusive(string headline)
    {
        var paused = plane.Controller.PausedBy;
        Assert.That(plane.Controller.State, Is.EqualTo(RollbackState.Paused), $"the rollback controller says the rollout is {Words(plane.Controller.State)}, not paused");
        Assert.That(PauseReasons.Headline(paused!.Reason), Is.EqualTo(headline), $"paused by: {paused.Reason}");
        Assert.That(plane.Controller.CanPromote, Is.False, "a paused rollout must not be promoted");
    }

    private void Promotion(string wanted)
    {
        var promotion = stages.Promotion ?? throw new InvalidOperationException($"no stage gate promoted anything yet, so the rollout cannot be {wanted}: add a promotion step first");
        var actual = promotion.Action switch { "hold" => "held", "rolled_back" => "rolled back", var a => a };
        Assert.That(actual, Is.EqualTo(wanted), $"the promotion {actual} the rollout, not {wanted}: {promotion.Detail}");
    }

    private void Tiers(string wanted)
    {
        var rollout = tiers.Rollout ?? throw new InvalidOperationException($"no tiered rollout ran, so it cannot be {wanted}: add 'When the tiers are rolled out over …'");
        var actual = rollout.Machine.Status switch { RolloutStatus.Running => "running", RolloutStatus.Completed => "completed", _ => "rolled back" };
        Assert.That(actual, Is.EqualTo(wanted), $"the tiered rollout is {actual} at tier \"{rollout.Machine.Stage.Name}\" ({rollout.Machine.Stage.Percent} %), not {wanted}");
    }

    private static string Words(RollbackState state) => state switch
    {
        RollbackState.Active => "active",
        RollbackState.Paused => "paused",
        RollbackState.RollingBack => "rolling back",
        _ => "rolled back",
    };
}
