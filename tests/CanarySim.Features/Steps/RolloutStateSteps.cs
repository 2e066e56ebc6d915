using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;

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
    /// Checks why the rollout did not move on. In a tiered rollout: it is still running and the reasons
    /// the current tier was not left at the last evaluation include the text, e.g. <c>minimum hold 1d not
    /// reached</c>, <c>exit criterion error_rate &lt; 0.02 for 1d not met</c>, <c>2 of 3 healthy evaluations in a
    /// row</c>, <c>the detector says fail</c> or <c>manual_approval gate failed: …</c>. After a stage gate's
    /// promotion: it held, and its detail includes the text. The text may be quoted.
    /// </summary>
    [Then(@"^the rollout is held because (.+)$")]
    public void HeldBecause(string text)
    {
        var wanted = text.Trim().Trim('"');
        if (tiers.Rollout is { } rollout)
        {
            var machine = rollout.Machine;
            Tiers("running");
            var reasons = machine.HeldBecause;
            Assert.That(reasons.Any(r => r.Contains(wanted, StringComparison.Ordinal)), Is.True,
                $"tier \"{machine.Stage.Name}\" ({machine.Stage.Percent} %) was held because {(reasons.Count == 0 ? "(no reason: it was just entered)" : string.Join("; ", reasons))}, which does not mention \"{wanted}\"");
            return;
        }
        Promotion("held");
        var detail = stages.Promotion!.Detail;
        Assert.That(detail, Does.Contain(wanted), $"the promotion held the rollout because {detail}, which does not mention \"{wanted}\"");
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
