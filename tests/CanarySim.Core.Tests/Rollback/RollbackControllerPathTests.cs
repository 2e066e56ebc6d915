using System.Text.Json;
using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Core.Tests.Detection;
using CanarySim.Harness.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace CanarySim.Core.Tests.Rollback;

/// <summary>
/// The controller's less travelled paths: the audit event type of every kind of change, a kill switch another
/// instance stored, a manual pause, a note, an unchanged config change, the settings a controller starts from,
/// and the latch after a rollback the store could not record.
/// </summary>
public sealed class RollbackControllerPathTests
{
    private static readonly RouterSettings Canary40 = RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 40 };
    private static readonly Breach Latency = new("latency", 1850, 1600, "latency (V2 p95: 1850ms > 1600ms)", VerdictAction.Rollback);
    private static readonly Breach Sustained = new("latency_sustained", 5200, 5000, "latency_sustained (5200 > 5000)", VerdictAction.ReduceTraffic);
    private static readonly Breach CostSpike = new("cost_spike", 9, 6, "cost_spike (9 > 6)", VerdictAction.Pause);
    private static readonly Breach Complaints = new("complaints", 11, 10, "complaints (V2: 11 in 1h > 10)", VerdictAction.ManualReview);

    private FakeTimeProvider _clock = null!;
    private LiveSettings _live = null!;
    private InMemorySettingsStore _store = null!;
    private InMemoryAuditLog _audit = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(TestClock.Epoch);
        _live = new LiveSettings(Canary40);
        _store = new InMemorySettingsStore(Canary40);
        _audit = new InMemoryAuditLog();
    }

    private RollbackController Controller(DetectorOptions? options = null, ISettingsStore? store = null) => new(_live, store ?? _store, _audit, _clock, options);

    private RollbackController OtherInstance() => new(new LiveSettings(Canary40), _store, new InMemoryAuditLog(), _clock, instance: "router-b");

    private static string KindOf(AuditEvent e)
    {
        using var doc = JsonDocument.Parse(e.Data);
        return doc.RootElement.GetProperty("kind").GetString()!;
    }

    [Test]
    public void Every_kind_of_change_is_audited_under_its_event_type()
    {
        var controller = Controller(new DetectorOptions { StagedRollback = true, StagedRollbackSteps = 2 });

        controller.Apply(VerdictAction.ManualReview, [Complaints]);
        controller.Apply(VerdictAction.ReduceTraffic, [Sustained]);
        controller.Apply(VerdictAction.Pause, [CostSpike]);
        controller.Resume("ops", "cost explained");
        controller.Apply(VerdictAction.Rollback, [Latency]);
        controller.Pause("ops", "holding for the release train");
        controller.Note("ops", SettingsChangeKind.Approve, "stage 2 approved");
        controller.Resume("ops", "train left");
        controller.ManualRollback("ops", "incident");
        controller.ReEnable("ops", "fixed", 10);
        controller.UpdateConfig("ops", "ramp", s => s with { CanaryPct = 20 });

        Assert.That(_audit.Read().Select(e => (e.Type, KindOf(e))), Is.EqualTo(new[]
        {
            ("alert", "manual_review"),
            ("config", "reduce_traffic"),
            ("config", "pause"),
            ("config", "resume"),
            ("rollback", "staged_rollback"),
            ("config", "pause"),
            ("config", "approve"),
            ("config", "resume"),
            ("rollback", "rollback"),
            ("config", "re_enable"),
            ("config", "config"),
        }));
    }

    /// <summary>An automatic action this instance takes while another instance already stored the kill switch.</summary>
    public enum AutoAction
    {
        Rollback,
        StagedRollback,
        ReduceTraffic,
        Pause,
        ManualReview,
    }

    [TestCase(AutoAction.Rollback)]
    [TestCase(AutoAction.StagedRollback)]
    [TestCase(AutoAction.ReduceTraffic)]
    [TestCase(AutoAction.Pause)]
    [TestCase(AutoAction.ManualReview)]
    public void An_automatic_action_on_a_kill_switch_another_instance_stored_records_nothing_and_takes_the_rollback(AutoAction what)
    {
        var controller = Controller(new DetectorOptions { StagedRollback = what == AutoAction.StagedRollback });
        OtherInstance().ManualRollback("ops-b", "incident");
        Assert.That((controller.State, controller.Current.KillSwitch), Is.EqualTo((RollbackState.Active, false)), "not yet refreshed");

        var change = what switch
        {
            AutoAction.Rollback or AutoAction.StagedRollback => controller.Apply(VerdictAction.Rollback, [Latency]),
            AutoAction.ReduceTraffic => controller.Apply(VerdictAction.ReduceTraffic, [Sustained]),
            AutoAction.Pause => controller.Apply(VerdictAction.Pause, [CostSpike]),
            _ => controller.Apply(VerdictAction.ManualReview, [Complaints]),
        };

        Assert.That(change, Is.Null);
        Assert.That((_store.History().Count, _audit.Read().Count), Is.EqualTo((1, 0)), "only the other instance's rollback is stored");
        Assert.That((controller.State, controller.Current.KillSwitch, controller.Current.CanaryPct, controller.Version), Is.EqualTo((RollbackState.RolledBack, true, 0.0, 1L)));
        Assert.That((controller.NeedsManualReview, controller.PausedBy), Is.EqualTo((false, (SettingsChange?)null)));
    }

    [Test]
    public void A_manual_pause_freezes_the_rollout_once_and_is_audited()
    {
        var controller = Controller();
        _clock.Advance(TimeSpan.FromMinutes(2));

        var pause = controller.Pause("ops", "holding for the release train")!;

        Assert.That((pause.Actor, pause.Kind, pause.Reason, pause.At, pause.Before, pause.After), Is.EqualTo(("ops", SettingsChangeKind.Pause, "holding for the release train", TestClock.Epoch.AddMinutes(2), Canary40, Canary40)));
        Assert.That((controller.State, controller.PausedBy, controller.CanPromote, _live.Current), Is.EqualTo((RollbackState.Paused, pause, false, Canary40)));
        Assert.That(controller.Pause("ops", "again"), Is.Null, "already paused");
        Assert.That(controller.Apply(VerdictAction.Pause, [CostSpike]), Is.Null, "already paused");
        Assert.That((_store.History().Count, _audit.Read("config").Count), Is.EqualTo((1, 1)));
    }

    [Test]
    public void A_rolled_back_canary_cannot_be_paused_or_resumed()
    {
        var controller = Controller();
        controller.ManualRollback("ops", "incident");

        Assert.Multiple(() =>
        {
            Assert.That(() => controller.Pause("ops", "hold"), Throws.InvalidOperationException.With.Message.EqualTo("The canary is rolled back; there is nothing to pause."));
            Assert.That(() => controller.Resume("ops", "go on"), Throws.InvalidOperationException.With.Message.EqualTo("The canary is rolled back; use ReEnable to turn the kill switch off."));
        });
        Assert.That((controller.State, _store.History().Count, _audit.Read().Count), Is.EqualTo((RollbackState.RolledBack, 1, 1)));
    }

    [TestCase(" ", "hold")]
    [TestCase("ops", "")]
    public void A_manual_pause_and_a_note_need_an_actor_and_a_reason(string actor, string reason)
    {
        var controller = Controller();
        Assert.Multiple(() =>
        {
            Assert.That(() => controller.Pause(actor, reason), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => controller.Note(actor, SettingsChangeKind.Approve, reason), Throws.InstanceOf<ArgumentException>());
        });
        Assert.That((controller.State, _store.History().Count), Is.EqualTo((RollbackState.Active, 0)));
    }

    [Test]
    public void A_note_records_a_decision_that_changes_no_setting()
    {
        var controller = Controller();

        var note = controller.Note("release-bot", SettingsChangeKind.Approve, "stage 2 approved");

        Assert.That((note.Actor, note.Kind, note.Reason, note.Before, note.After, note.Sequence), Is.EqualTo(("release-bot", SettingsChangeKind.Approve, "stage 2 approved", Canary40, Canary40, 1L)));
        Assert.That((controller.State, _live.Current), Is.EqualTo((RollbackState.Active, Canary40)));
    }

    [Test]
    public void A_config_change_that_changes_nothing_is_still_recorded_unless_asked_otherwise()
    {
        var controller = Controller();

        var same = controller.UpdateConfig("ops", "confirm", s => s);

        Assert.That((same.Kind, same.Before, same.After, same.Sequence), Is.EqualTo((SettingsChangeKind.Config, Canary40, Canary40, 1L)));
        Assert.That(controller.UpdateConfigIfChanged("ops", "confirm", s => s), Is.Null);
        Assert.That((_store.History().Count, _audit.Read("config").Count), Is.EqualTo((1, 1)));
    }

    [Test]
    public void A_new_controller_serves_the_latest_stored_settings_and_version()
    {
        var first = Controller();
        first.UpdateConfig("ops", "ramp", s => s with { CanaryPct = 60 });
        first.UpdateConfig("ops", "phase", s => s with { Phase = "phase9" });
        var live = new LiveSettings(RouterSettings.Default);

        var restarted = new RollbackController(live, _store, _audit, _clock);

        Assert.That((live.Current, restarted.Version, restarted.State), Is.EqualTo((Canary40 with { CanaryPct = 60, Phase = "phase9" }, 2L, RollbackState.Active)));
        first.ManualRollback("ops", "incident");
        var afterRollback = new RollbackController(new LiveSettings(RouterSettings.Default), _store, _audit, _clock);
        Assert.That((afterRollback.State, afterRollback.Current.KillSwitch, afterRollback.Version), Is.EqualTo((RollbackState.RolledBack, true, 3L)));
    }

    [Test]
    public void Before_anything_is_stored_the_first_change_is_made_from_the_settings_the_instance_started_with()
    {
        var controller = Controller(store: new InMemorySettingsStore(RouterSettings.Default));

        var change = controller.Apply(VerdictAction.ReduceTraffic, [Sustained])!;

        Assert.That((change.Before.CanaryPct, change.After.CanaryPct, _live.Current.CanaryPct), Is.EqualTo((40.0, 20.0, 20.0)));
    }

    [Test]
    public void After_a_rollback_the_store_could_not_record_no_verdict_turns_v2_back_on()
    {
        var store = new FaultInjectingSettingsStore(new InMemorySettingsStore(Canary40));
        var controller = Controller(store: store);
        controller.UpdateConfig("ops", "ramp", s => s with { CanaryPct = 50 });
        store.FailNextWrites(1);
        Assert.That(() => controller.Apply(VerdictAction.Rollback, [Latency]), Throws.Exception);
        Assert.That(store.Current.Settings.KillSwitch, Is.False, "the store still holds the ramp");

        Assert.Multiple(() =>
        {
            Assert.That(controller.Apply(VerdictAction.ReduceTraffic, [Sustained]), Is.Null);
            Assert.That(controller.Apply(VerdictAction.Pause, [CostSpike]), Is.Null);
            Assert.That(controller.Apply(VerdictAction.ManualReview, [Complaints]), Is.Null);
        });
        Assert.That((_live.Current.KillSwitch, _live.Current.CanaryPct, controller.State), Is.EqualTo((true, 0.0, RollbackState.RolledBack)), "v1 only, latched");
        Assert.That(store.History().Select(c => c.Kind), Is.EqualTo(new[] { SettingsChangeKind.Config }), "only the ramp is stored");
    }

    [Test]
    public void When_the_store_cannot_record_a_manual_rollback_the_router_still_serves_v1_and_the_error_is_raised()
    {
        var store = new FaultInjectingSettingsStore(new InMemorySettingsStore(Canary40));
        var controller = Controller(store: store);
        store.FailNextWrites(1);

        Assert.That(() => controller.ManualRollback("ops", "incident"), Throws.Exception);

        Assert.That((_live.Current.KillSwitch, _live.Current.CanaryPct, controller.State), Is.EqualTo((true, 0.0, RollbackState.RolledBack)));
        Assert.That(store.Current.Settings.KillSwitch, Is.False, "nothing was stored");
    }

    [Test]
    public void Re_enable_refuses_an_out_of_range_percentage_even_when_the_stored_settings_already_hold_it()
    {
        // Written before percentages were validated: the stored value is not judged again by a change that keeps it,
        // but a re-enable names its percentage, and that one is checked.
        _live.Set(Canary40 with { CanaryPct = 250 });
        var controller = Controller(store: new InMemorySettingsStore(Canary40 with { CanaryPct = 250 }));

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => controller.ReEnable("ops", "back on", 250))!;

        Assert.That(ex.ParamName, Is.EqualTo("canaryPct"));
        Assert.That(controller.Version, Is.Zero, "nothing stored");
    }

    [TestCase(250.0, "250")]
    [TestCase(-0.5, "-0.5")]
    public void An_out_of_range_percentage_is_refused_naming_the_field_the_range_and_the_value(double pct, string shown)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Controller().UpdateConfig("ops", "typo", s => s with { CanaryPct = pct }))!;

        Assert.That(ex.ParamName, Is.EqualTo("canary_pct"));
        Assert.That(ex.Message, Does.StartWith($"canary_pct must be a number between 0 and 100, got {shown}."));
    }

    [Test]
    public void Validate_needs_both_settings()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => RouterSettingsRules.Validate(null!, Canary40), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("before"));
            Assert.That(() => RouterSettingsRules.Validate(Canary40, null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("after"));
        });
    }

    [TestCase(VerdictAction.ReduceTraffic, "reduce_traffic")]
    [TestCase(VerdictAction.Pause, "pause")]
    [TestCase(VerdictAction.ManualReview, "manual_review")]
    [TestCase(VerdictAction.Rollback, "rollback")]
    public void An_automatic_change_without_breaches_gives_its_action_as_the_reason(VerdictAction action, string reason)
    {
        var change = Controller().Apply(action, [])!;

        Assert.That((change.Reason, change.Breaches.Count), Is.EqualTo((reason, 0)));
    }
}
