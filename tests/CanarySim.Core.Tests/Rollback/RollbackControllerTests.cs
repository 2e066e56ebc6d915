using System.Text.Json;
using CanarySim.Core.Audit;
using CanarySim.Core.Tests.Detection;

namespace CanarySim.Core.Tests.Rollback;

public sealed class RollbackControllerTests
{
    private FakeTimeProvider _clock = null!;
    private LiveSettings _live = null!;
    private InMemorySettingsStore _store = null!;
    private InMemoryAuditLog _audit = null!;

    private static readonly RouterSettings Canary50 = RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 50, Phase = "phase8" };

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(TestClock.Epoch);
        _live = new LiveSettings(Canary50);
        _store = new InMemorySettingsStore(Canary50);
        _audit = new InMemoryAuditLog();
    }

    private RollbackController Controller(DetectorOptions? options = null) => new(_live, _store, _audit, _clock, options);

    private static readonly Breach Quality = new("quality", 13, 5, "quality (V1: 95.0, V2: 82.0, drop: 13.0)", VerdictAction.Rollback);
    private static readonly Breach Latency = new("latency", 1850, 1600, "latency (V2 p95: 1850ms > 1600ms)", VerdictAction.Rollback);

    [Test]
    public void Rollback_sets_kill_switch_and_zero_percent_live_and_in_the_store_with_who_why_when_before_after()
    {
        var controller = Controller();
        _clock.Advance(TimeSpan.FromMinutes(3));
        var change = controller.Apply(VerdictAction.Rollback, [Quality, Latency])!;

        Assert.Multiple(() =>
        {
            Assert.That(_live.Current.KillSwitch, Is.True);
            Assert.That(_live.Current.CanaryPct, Is.Zero);
            Assert.That(_live.Current.Phase, Is.EqualTo("phase8"), "everything else is kept");
            Assert.That(_store.Current.Settings, Is.EqualTo(_live.Current));
            Assert.That(change.Actor, Is.EqualTo("auto"));
            Assert.That(change.Kind, Is.EqualTo(SettingsChangeKind.Rollback));
            Assert.That(change.At, Is.EqualTo(TestClock.Epoch.AddMinutes(3)));
            Assert.That(change.Before, Is.EqualTo(Canary50));
            Assert.That(change.After.KillSwitch, Is.True);
            Assert.That(change.Breaches, Is.EqualTo(new[] { Quality.Reason, Latency.Reason }));
            Assert.That(change.Reason, Is.EqualTo(Quality.Reason + "; " + Latency.Reason));
            Assert.That(controller.State, Is.EqualTo(RollbackState.RolledBack));
            Assert.That(controller.CanPromote, Is.False);
        });

        var ev = _audit.Read("rollback").Single();
        using var doc = JsonDocument.Parse(ev.Data);
        var root = doc.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(ev.At, Is.EqualTo(TestClock.Epoch.AddMinutes(3)));
            Assert.That(root.GetProperty("actor").GetString(), Is.EqualTo("auto"));
            Assert.That(root.GetProperty("breaches").GetArrayLength(), Is.EqualTo(2));
            Assert.That(root.GetProperty("breaches")[1].GetProperty("check").GetString(), Is.EqualTo("latency"));
            Assert.That(root.GetProperty("before").GetProperty("canary_pct").GetDouble(), Is.EqualTo(50));
            Assert.That(root.GetProperty("before").GetProperty("kill_switch").GetBoolean(), Is.False);
            Assert.That(root.GetProperty("after").GetProperty("kill_switch").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("after").GetProperty("mode").GetString(), Is.EqualTo("canary"));
        });
    }

    [Test]
    public void After_a_rollback_nothing_re_triggers_it_and_healthy_metrics_do_not_re_enable()
    {
        var controller = Controller();
        controller.Apply(VerdictAction.Rollback, [Quality]);
        Assert.That(controller.Apply(VerdictAction.None, []), Is.Null);
        Assert.That(controller.Apply(VerdictAction.Rollback, [Latency]), Is.Null);
        Assert.That(controller.Apply(VerdictAction.ReduceTraffic, [Latency]), Is.Null);
        Assert.That(_store.History(), Has.Count.EqualTo(1));
        Assert.That(_live.Current.KillSwitch, Is.True);
    }

    [Test]
    public void Re_enable_is_manual_and_audited()
    {
        var controller = Controller();
        controller.Apply(VerdictAction.Rollback, [Quality]);
        _clock.Advance(TimeSpan.FromHours(1));
        var change = controller.ReEnable("alice", "fixed the prompt", 5);
        Assert.Multiple(() =>
        {
            Assert.That(_live.Current.KillSwitch, Is.False);
            Assert.That(_live.Current.CanaryPct, Is.EqualTo(5));
            Assert.That(change.Actor, Is.EqualTo("alice"));
            Assert.That(change.Kind, Is.EqualTo(SettingsChangeKind.ReEnable));
            Assert.That(change.Reason, Is.EqualTo("fixed the prompt"));
            Assert.That(controller.State, Is.EqualTo(RollbackState.Active));
            Assert.That(_audit.Read("config").Single().Data, Does.Contain("\"actor\":\"alice\""));
        });
        Assert.That(controller.Apply(VerdictAction.Rollback, [Quality]), Is.Not.Null, "a new breach after re-enabling rolls back again");
    }

    [TestCase(-1)]
    [TestCase(100.5)]
    [TestCase(double.NaN)]
    public void Re_enable_refuses_an_out_of_range_percentage(double pct)
    {
        var controller = Controller();
        controller.ManualRollback("bob", "drill");
        Assert.Throws<ArgumentOutOfRangeException>(() => controller.ReEnable("bob", "done", pct));
        Assert.That(_live.Current.KillSwitch, Is.True);
    }

    [Test]
    public void Re_enable_needs_an_actor_and_records_an_absent_reason_as_empty()
    {
        var controller = Controller();
        Assert.Throws<ArgumentException>(() => controller.ReEnable(" ", "x", 1));
        Assert.Throws<ArgumentNullException>(() => controller.ReEnable("bob", null!, 1));
        Assert.That(controller.ReEnable("bob", "", 1).Reason, Is.Empty);
    }

    [Test]
    public void Manual_rollback_is_recorded_with_the_actor()
    {
        var change = Controller().ManualRollback("carol", "rehearsal");
        Assert.That((change.Actor, change.Kind, change.After.KillSwitch, change.After.CanaryPct), Is.EqualTo(("carol", SettingsChangeKind.Rollback, true, 0.0)));
        Assert.That(_audit.Read("rollback"), Has.Count.EqualTo(1));
    }

    [Test]
    public void Staged_rollback_halves_on_consecutive_breaches_then_reaches_zero()
    {
        var controller = Controller(new DetectorOptions { StagedRollback = true });
        var first = controller.Apply(VerdictAction.Rollback, [Quality])!;
        Assert.That((first.Kind, _live.Current.CanaryPct, _live.Current.KillSwitch), Is.EqualTo((SettingsChangeKind.StagedRollback, 25.0, false)));
        Assert.That(controller.State, Is.EqualTo(RollbackState.RollingBack));
        var second = controller.Apply(VerdictAction.Rollback, [Quality])!;
        Assert.That((second.Kind, _live.Current.CanaryPct, _live.Current.KillSwitch), Is.EqualTo((SettingsChangeKind.Rollback, 0.0, true)));
    }

    [Test]
    public void Staged_rollback_counts_only_consecutive_breaches()
    {
        var controller = Controller(new DetectorOptions { StagedRollback = true, StagedRollbackSteps = 2 });
        controller.Apply(VerdictAction.Rollback, [Quality]);
        controller.Apply(VerdictAction.None, []);
        controller.Apply(VerdictAction.Rollback, [Quality]);
        Assert.That((_live.Current.CanaryPct, _live.Current.KillSwitch), Is.EqualTo((12.5, false)));
    }

    [Test]
    public void Staged_rollback_still_rolls_back_fully_on_a_policy_violation()
    {
        var controller = Controller(new DetectorOptions { StagedRollback = true });
        controller.Apply(VerdictAction.Rollback, [new Breach("policy_violation", 1, 0, "policy_violation (V2: 1)", VerdictAction.Rollback)]);
        Assert.That((_live.Current.CanaryPct, _live.Current.KillSwitch), Is.EqualTo((0.0, true)));
    }

    [Test]
    public void Reduce_traffic_halves_once_per_episode()
    {
        var controller = Controller();
        var b = new Breach("latency_sustained", 5200, 5000, "latency_sustained (…)", VerdictAction.ReduceTraffic);
        Assert.That(controller.Apply(VerdictAction.ReduceTraffic, [b])!.Kind, Is.EqualTo(SettingsChangeKind.ReduceTraffic));
        Assert.That(_live.Current.CanaryPct, Is.EqualTo(25));
        Assert.That(controller.Apply(VerdictAction.ReduceTraffic, [b]), Is.Null, "same episode");
        controller.Apply(VerdictAction.None, []);
        controller.Apply(VerdictAction.ReduceTraffic, [b]);
        Assert.That(_live.Current.CanaryPct, Is.EqualTo(12.5));
        Assert.That(_live.Current.KillSwitch, Is.False);
    }

    [Test]
    public void Pause_freezes_the_percentage_until_resumed()
    {
        var controller = Controller();
        var change = controller.Apply(VerdictAction.Pause, [new Breach("cost_spike", 9, 6, "cost_spike (…)", VerdictAction.Pause)])!;
        Assert.Multiple(() =>
        {
            Assert.That(change.Kind, Is.EqualTo(SettingsChangeKind.Pause));
            Assert.That(change.Before, Is.EqualTo(change.After));
            Assert.That(_live.Current.CanaryPct, Is.EqualTo(50));
            Assert.That(controller.State, Is.EqualTo(RollbackState.Paused));
            Assert.That(controller.CanPromote, Is.False);
        });
        Assert.That(controller.Apply(VerdictAction.Pause, []), Is.Null);
        controller.Apply(VerdictAction.None, []);
        Assert.That(controller.CanPromote, Is.False, "a healthy verdict does not lift a pause");
        controller.Resume("dave", "cost explained");
        Assert.That(controller.CanPromote, Is.True);
    }

    [Test]
    public void The_pause_change_is_known_while_paused_and_forgotten_after_the_resume()
    {
        var controller = Controller();
        Assert.That(controller.PausedBy, Is.Null);
        var pause = controller.Apply(VerdictAction.Pause, [new Breach("judge", 90, 95, PauseReasons.Inconclusive("judge", 90, "judge (score 90)"), VerdictAction.Pause)])!;

        Assert.That(controller.PausedBy, Is.EqualTo(pause));
        Assert.That(PauseReasons.Headline(controller.PausedBy!.Reason), Is.EqualTo("paused: inconclusive (judge, 90)"));
        controller.Resume("dave", "score explained");
        Assert.That(controller.PausedBy, Is.Null);
    }

    [Test]
    public void A_pause_and_a_pending_review_outlive_a_restart_until_a_resume()
    {
        var first = Controller();
        first.Apply(VerdictAction.ManualReview, [new Breach("complaints", 9, 5, "complaints (9 > 5)", VerdictAction.ManualReview)]);
        first.UpdateConfig("ops", "tweak", s => s with { Phase = "phase9" });
        var pause = first.Apply(VerdictAction.Pause, [new Breach("judge", 90, 95, PauseReasons.Inconclusive("judge", 90, "judge (score 90)"), VerdictAction.Pause)])!;

        var restarted = new RollbackController(new LiveSettings(RouterSettings.Default), _store, _audit, _clock);

        Assert.Multiple(() =>
        {
            Assert.That(restarted.State, Is.EqualTo(RollbackState.Paused));
            Assert.That(restarted.PausedBy, Is.EqualTo(pause));
            Assert.That(restarted.NeedsManualReview, Is.True);
            Assert.That(restarted.CanPromote, Is.False);
        });
        restarted.Resume("dave", "explained");
        var again = new RollbackController(new LiveSettings(RouterSettings.Default), _store, _audit, _clock);
        Assert.That(again.State, Is.EqualTo(RollbackState.Active));
        Assert.That(again.NeedsManualReview, Is.False);
    }

    [TestCase("paused: inconclusive (judge, 90): judge (score 90 < 95)", "paused: inconclusive (judge, 90)")]
    [TestCase("paused: inconclusive (latency, 1.5): a; paused: inconclusive (judge, 80): b", "paused: inconclusive (latency, 1.5)")]
    [TestCase("cost_spike (V2 mean cost 1.8¢ > 3× projected)", "paused: cost_spike")]
    [TestCase("", "paused")]
    public void A_pause_headline_names_the_check_and_its_value(string reason, string headline) =>
        Assert.That(PauseReasons.Headline(reason), Is.EqualTo(headline));

    [Test]
    public void Manual_review_raises_a_flag_and_an_alert()
    {
        var controller = Controller();
        controller.Apply(VerdictAction.ManualReview, [new Breach("complaints", 11, 10, "complaints (V2: 11 in 1h > 10)", VerdictAction.ManualReview)]);
        Assert.That(controller.NeedsManualReview, Is.True);
        Assert.That(controller.CanPromote, Is.False);
        Assert.That(_audit.Read("alert").Single().Data, Does.Contain("complaints (V2: 11 in 1h > 10)"));
        Assert.That(_live.Current, Is.EqualTo(Canary50));
    }

    [Test]
    public void Update_config_keeps_history_and_rejects_out_of_range_input()
    {
        var controller = Controller();
        controller.UpdateConfig("ops", "ramp", s => s with { CanaryPct = 10 });
        controller.UpdateConfig("ops", "ramp", s => s with { CanaryPct = 25 });
        Assert.That(_store.History().Select(c => c.After.CanaryPct), Is.EqualTo(new[] { 10.0, 25.0 }));
        Assert.That(_store.History().Select(c => c.Sequence), Is.EqualTo(new long[] { 1, 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => controller.UpdateConfig("ops", "typo", s => s with { CanaryPct = 250 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => controller.UpdateConfig("ops", "typo", s => s with { CanaryPct = double.NaN }));
        Assert.That(_live.Current.CanaryPct, Is.EqualTo(25));
        controller.UpdateConfig("ops", "panic", s => s with { KillSwitch = true });
        Assert.That(controller.State, Is.EqualTo(RollbackState.RolledBack));
    }

    [TestCase(250.0)]
    [TestCase(100.01)]
    [TestCase(-0.5)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Update_config_rejects_an_out_of_range_segment_percentage_and_changes_nothing(double pct)
    {
        var controller = Controller();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => controller.UpdateConfig("ops", "segment typo",
            s => s with { Segments = s.Segments.SetItem("billing", new SegmentOverride(true, pct)) }));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("segments.billing.canary_pct"));
            Assert.That(_live.Current, Is.EqualTo(Canary50), "the router never sees the bad value");
            Assert.That(_store.History(), Is.Empty, "nothing is stored");
            Assert.That(_audit.Read("config"), Is.Empty, "nothing is audited");
        });
    }

    [TestCase(0.0)]
    [TestCase(100.0)]
    public void Update_config_accepts_a_segment_percentage_at_either_end_of_the_range(double pct)
    {
        var change = Controller().UpdateConfig("ops", "segment ramp", s => s with { Segments = s.Segments.SetItem("billing", new SegmentOverride(true, pct)) });
        Assert.That((change.After.Segments["billing"].CanaryPct, _store.Current.Settings.Segments["billing"].CanaryPct), Is.EqualTo(((double?)pct, (double?)pct)));
    }

    [Test]
    public void A_rollback_succeeds_even_when_the_stored_settings_hold_a_segment_percentage_out_of_range()
    {
        // Written before percentages were validated on every change: the rollback must not be refused for it.
        _live.Set(Canary50 with { Segments = Canary50.Segments.SetItem("billing", new SegmentOverride(true, 250)) });
        var controller = Controller();
        controller.Apply(VerdictAction.Rollback, [Quality]);
        Assert.Multiple(() =>
        {
            Assert.That((_live.Current.KillSwitch, _live.Current.CanaryPct), Is.EqualTo((true, 0.0)));
            Assert.That(() => controller.UpdateConfig("ops", "still bad", s => s with { Segments = s.Segments.SetItem("billing", new SegmentOverride(true, 300)) }),
                Throws.TypeOf<ArgumentOutOfRangeException>(), "a new bad value is still refused");
        });
    }

    [Test]
    public void A_controller_over_settings_with_the_kill_switch_on_starts_rolled_back()
    {
        _live.Set(Canary50 with { KillSwitch = true });
        Assert.That(Controller().State, Is.EqualTo(RollbackState.RolledBack));
    }
}
