using CanarySim.Core.Gating;
using CanarySim.Core.Rollout;

namespace CanarySim.Core.Tests.Rollout;

public sealed class StagePromotionTests
{
    private static GateReport Report(int stage, bool go, string? next, params string[] failed) => new(
        "t", stage, go, [], next, go ? null : "assistant_engine=v2",
        failed.Select(f => new GateDefect(f, f, f, [], 1)).ToList(),
        new GateCounts(0, 0, 0, 0, 0), [], 5000, null, DateTimeOffset.UnixEpoch);

    private static RehearsalResult Rehearsal(bool passed) =>
        new(passed, [], "e.md", RouterSettings.Default, RouterSettings.Default, passed, DateTimeOffset.UnixEpoch);

    [Test]
    public void Go_promotes_to_the_next_stage_through_the_controller()
    {
        var rig = new RolloutTestRig(new RouterSettings { Mode = RouterMode.Canary, CanaryPct = 10 });
        var outcome = new StagePromotion(rig.Controller).Apply(Report(10, true, "25"));
        Assert.That((outcome.Action, rig.Live.Current.CanaryPct), Is.EqualTo(("promoted", 25.0)));
        Assert.That(rig.Controller.History().Single().Actor, Is.EqualTo("release-gate"));
    }

    [Test]
    public void No_go_rolls_back_naming_every_failed_check()
    {
        var rig = new RolloutTestRig();
        var outcome = new StagePromotion(rig.Controller).Apply(Report(50, false, null, "write_safety", "latency_p95"));
        Assert.That(outcome.Action, Is.EqualTo("rolled_back"));
        Assert.That(outcome.Detail, Is.EqualTo("release gate stage 50 NO-GO (write_safety, latency_p95): assistant_engine=v2"));
        Assert.That((rig.Live.Current.KillSwitch, rig.Live.Current.CanaryPct), Is.EqualTo((true, 0.0)));
    }

    [Test]
    public void Promotion_to_100_needs_a_passed_rehearsal()
    {
        var rig = new RolloutTestRig();
        var promotion = new StagePromotion(rig.Controller);
        Assert.That(promotion.Apply(Report(50, true, "100")).Action, Is.EqualTo("blocked"));
        Assert.That(promotion.Apply(Report(50, true, "100"), Rehearsal(false)).Detail, Does.Contain("the last rollback rehearsal failed"));
        Assert.That(rig.Live.Current.CanaryPct, Is.EqualTo(50));
        Assert.That(promotion.Apply(Report(50, true, "100"), Rehearsal(true)).Action, Is.EqualTo("promoted"));
        Assert.That(rig.Live.Current.CanaryPct, Is.EqualTo(100));
    }

    [Test]
    public void Go_at_the_last_stage_holds_and_a_rolled_back_rollout_is_not_promoted()
    {
        var rig = new RolloutTestRig();
        var promotion = new StagePromotion(rig.Controller);
        Assert.That(promotion.Apply(Report(100, true, "hold_100pct_monitor")).Action, Is.EqualTo("hold"));
        rig.Controller.ManualRollback("ops", "incident");
        var outcome = promotion.Apply(Report(10, true, "25"));
        Assert.That((outcome.Action, outcome.Detail), Is.EqualTo(("blocked", "release gate stage 10 GO, but the rollout is rolled back: not promoted to 25 %")));
        Assert.That(rig.Live.Current.KillSwitch, Is.True);
    }
}
