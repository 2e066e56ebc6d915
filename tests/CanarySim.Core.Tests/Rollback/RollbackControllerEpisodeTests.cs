using CanarySim.Core.Audit;
using CanarySim.Core.Tests.Detection;
using CanarySim.Harness.Fakes;

namespace CanarySim.Core.Tests.Rollback;

/// <summary>
/// What ends a rollback episode (re-enable, a config change turning the kill switch off), the kill-switch
/// transitions a config change makes, the fail-safe when the store cannot record a rollback, and the
/// argument rules of every entry point.
/// </summary>
public sealed class RollbackControllerEpisodeTests
{
    private static readonly RouterSettings Canary50 = RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 50 };
    private static readonly Breach Latency = new("latency", 1850, 1600, "latency (V2 p95: 1850ms > 1600ms)", VerdictAction.Rollback);
    private static readonly Breach Violation = new(CheckNames.PolicyViolation, 1, 0, "policy_violation (V2: 1)", VerdictAction.Rollback);
    private static readonly Breach Sustained = new("latency_sustained", 5200, 5000, "latency_sustained (5200 > 5000)", VerdictAction.ReduceTraffic);
    private static readonly Breach Complaints = new("complaints", 11, 10, "complaints (V2: 11 in 1h > 10)", VerdictAction.ManualReview);

    private LiveSettings _live = null!;
    private InMemorySettingsStore _store = null!;
    private InMemoryAuditLog _audit = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(TestClock.Epoch);
        _live = new LiveSettings(Canary50);
        _store = new InMemorySettingsStore(Canary50);
        _audit = new InMemoryAuditLog();
    }

    private RollbackController Controller(DetectorOptions? options = null, ISettingsStore? store = null) =>
        new(_live, store ?? _store, _audit, _clock, options);

    [Test]
    public void Staged_rollback_rolls_back_fully_when_a_policy_violation_comes_with_other_breaches()
    {
        var controller = Controller(new DetectorOptions { StagedRollback = true });

        var change = controller.Apply(VerdictAction.Rollback, [Latency, Violation])!;

        Assert.That((change.Kind, _live.Current.CanaryPct, _live.Current.KillSwitch, controller.State), Is.EqualTo((SettingsChangeKind.Rollback, 0.0, true, RollbackState.RolledBack)));
    }

    [Test]
    public void A_config_change_turning_the_kill_switch_on_is_a_latched_rollback_and_turning_it_off_is_a_re_enable()
    {
        var controller = Controller();

        var on = controller.UpdateConfig("ops", "incident", s => s with { KillSwitch = true });
        Assert.That((on.Kind, controller.State, controller.CanPromote), Is.EqualTo((SettingsChangeKind.Config, RollbackState.RolledBack, false)));
        Assert.That(controller.Apply(VerdictAction.Rollback, [Latency]), Is.Null, "latched: no verdict acts on a rolled-back canary");
        var stillOn = controller.UpdateConfig("ops", "note", s => s with { Phase = "incident" });
        Assert.That((stillOn.Kind, controller.State), Is.EqualTo((SettingsChangeKind.Config, RollbackState.RolledBack)), "a change that keeps the kill switch on is no re-enable");

        var off = controller.UpdateConfig("ops", "fixed", s => s with { KillSwitch = false, CanaryPct = 10 });

        Assert.That((off.Kind, controller.State, controller.CanPromote), Is.EqualTo((SettingsChangeKind.ReEnable, RollbackState.Active, true)));
        Assert.That(controller.UpdateConfig("ops", "ramp", s => s with { CanaryPct = 20 }).Kind, Is.EqualTo(SettingsChangeKind.Config), "a change with the kill switch off before and after");
    }

    [Test]
    public void Re_enable_clears_a_pending_review_and_starts_a_new_reduce_traffic_episode()
    {
        var controller = Controller();
        controller.Apply(VerdictAction.ReduceTraffic, [Sustained]);
        controller.Apply(VerdictAction.ReduceTraffic, [Sustained]);
        Assert.That(_live.Current.CanaryPct, Is.EqualTo(25), "one reduction per episode");
        controller.Apply(VerdictAction.ManualReview, [Complaints]);
        controller.Apply(VerdictAction.ReduceTraffic, [Sustained]);
        controller.ManualRollback("ops", "incident");

        controller.ReEnable("ops", "fixed", 40);

        Assert.That((controller.State, controller.NeedsManualReview, controller.CanPromote), Is.EqualTo((RollbackState.Active, false, true)));
        Assert.That(controller.Apply(VerdictAction.ReduceTraffic, [Sustained])?.Kind, Is.EqualTo(SettingsChangeKind.ReduceTraffic), "a new episode may reduce again");
        Assert.That(_live.Current.CanaryPct, Is.EqualTo(20));
    }

    [Test]
    public void Re_enable_without_a_rollback_still_ends_the_reduce_traffic_episode()
    {
        var controller = Controller();
        controller.Apply(VerdictAction.ReduceTraffic, [Sustained]);

        controller.ReEnable("ops", "back to 40", 40);

        Assert.That(controller.Apply(VerdictAction.ReduceTraffic, [Sustained])?.Kind, Is.EqualTo(SettingsChangeKind.ReduceTraffic));
        Assert.That(_live.Current.CanaryPct, Is.EqualTo(20));
    }

    [Test]
    public void Re_enable_restarts_the_staged_rollback_count()
    {
        var controller = Controller(new DetectorOptions { StagedRollback = true, StagedRollbackSteps = 2 });
        controller.Apply(VerdictAction.Rollback, [Latency]);
        Assert.That((_live.Current.CanaryPct, _live.Current.KillSwitch), Is.EqualTo((25.0, false)), "first of two steps");

        controller.ReEnable("ops", "back to 40", 40);
        var next = controller.Apply(VerdictAction.Rollback, [Latency])!;

        Assert.That((next.Kind, _live.Current.CanaryPct, _live.Current.KillSwitch), Is.EqualTo((SettingsChangeKind.StagedRollback, 20.0, false)), "the count starts again at the first step");
    }

    [Test]
    public void A_manual_review_verdict_ends_the_reduce_traffic_episode()
    {
        var controller = Controller();
        controller.Apply(VerdictAction.ReduceTraffic, [Sustained]);
        controller.Apply(VerdictAction.ManualReview, [Complaints]);
        Assert.That(controller.Apply(VerdictAction.ReduceTraffic, [Sustained])?.Kind, Is.EqualTo(SettingsChangeKind.ReduceTraffic), "a manual_review verdict is below reduce_traffic: new episode");
        Assert.That(_live.Current.CanaryPct, Is.EqualTo(12.5));
    }

    [Test]
    public void When_the_store_cannot_record_a_rollback_the_router_still_serves_v1_and_the_error_is_raised()
    {
        var store = new FaultInjectingSettingsStore(new InMemorySettingsStore(Canary50));
        var controller = Controller(store: store);
        store.FailNextWrites(1);

        Assert.That(() => controller.Apply(VerdictAction.Rollback, [Latency]), Throws.Exception);

        Assert.That((_live.Current.KillSwitch, _live.Current.CanaryPct, controller.State), Is.EqualTo((true, 0.0, RollbackState.RolledBack)));
        Assert.That(store.Current.Settings.KillSwitch, Is.False, "nothing was stored");
        Assert.That(_audit.Read("rollback"), Is.Empty);
    }

    [Test]
    public void When_the_store_cannot_record_a_config_change_the_live_settings_stay_as_they_were()
    {
        var store = new FaultInjectingSettingsStore(new InMemorySettingsStore(Canary50));
        var controller = Controller(store: store);
        store.FailNextWrites(1);

        Assert.That(() => controller.UpdateConfig("ops", "ramp", s => s with { CanaryPct = 60 }), Throws.Exception);

        Assert.That((_live.Current, controller.State), Is.EqualTo((Canary50, RollbackState.Active)));
    }

    [Test]
    public void A_refused_change_is_no_rollback_even_on_the_fail_safe_path()
    {
        var controller = Controller();

        Assert.That(() => controller.UpdateConfig("ops", "typo", s => s with { KillSwitch = true, CanaryPct = 250 }), Throws.TypeOf<ArgumentOutOfRangeException>());

        Assert.That((_live.Current, controller.State, _store.History().Count), Is.EqualTo((Canary50, RollbackState.Active, 0)));
    }

    [Test]
    public void An_update_that_changes_nothing_records_nothing_and_takes_the_newer_version_another_instance_stored()
    {
        var other = new RollbackController(new LiveSettings(Canary50), _store, new InMemoryAuditLog(), _clock);
        var controller = Controller();
        other.UpdateConfig("ops", "ramp", s => s with { CanaryPct = 10 });
        Assert.That((controller.Current.CanaryPct, controller.Version), Is.EqualTo((50.0, 0L)), "not yet refreshed");

        var change = controller.UpdateConfigIfChanged("ops", "same", s => s);

        Assert.That(change, Is.Null);
        Assert.That(_store.History(), Has.Count.EqualTo(1));
        Assert.That(_audit.Read("config"), Is.Empty);
        Assert.That((controller.Current.CanaryPct, controller.Version), Is.EqualTo((10.0, 1L)), "the newer stored version is now served");
        Assert.That(controller.UpdateConfigIfChanged("ops", "ramp", s => s with { CanaryPct = 15 })?.Sequence, Is.EqualTo(2));
    }

    // Fleet case: another instance stored the kill switch and this one has not taken it yet (it is not rolled back
    // here), so adopting the re-enable it stores itself ends nothing; only the config change's own re-enable does.
    [Test]
    public void A_config_re_enable_of_a_kill_switch_another_instance_stored_ends_this_instances_episode()
    {
        var controller = Controller(new DetectorOptions { StagedRollback = true, StagedRollbackSteps = 2 });
        controller.Apply(VerdictAction.ReduceTraffic, [Sustained]);
        controller.Apply(VerdictAction.ManualReview, [Complaints]);
        controller.Apply(VerdictAction.Rollback, [Latency]);
        Assert.That((controller.State, controller.NeedsManualReview, _live.Current.CanaryPct), Is.EqualTo((RollbackState.RollingBack, true, 12.5)), "first staged step, review pending");
        var other = new RollbackController(new LiveSettings(Canary50), _store, new InMemoryAuditLog(), _clock);
        other.UpdateConfig("ops-b", "incident", s => s with { KillSwitch = true });
        Assert.That((controller.State, controller.Current.KillSwitch), Is.EqualTo((RollbackState.RollingBack, false)), "not yet refreshed");

        var change = controller.UpdateConfig("ops", "fixed", s => s with { KillSwitch = false, CanaryPct = 40 });

        Assert.That((change.Kind, change.Before.KillSwitch), Is.EqualTo((SettingsChangeKind.ReEnable, true)));
        Assert.That((controller.State, controller.NeedsManualReview, controller.CanPromote), Is.EqualTo((RollbackState.Active, false, true)));
        var next = controller.Apply(VerdictAction.Rollback, [Latency])!;
        Assert.That((next.Kind, _live.Current.CanaryPct), Is.EqualTo((SettingsChangeKind.StagedRollback, 20.0)), "the staged count starts again at the first step");
    }

    [Test]
    public void Changed_is_raised_for_each_recorded_change_and_Refreshed_only_for_a_newer_stored_version()
    {
        var controller = Controller();
        var changed = new List<SettingsChange>();
        var refreshed = new List<VersionedSettings>();
        controller.Changed += changed.Add;
        controller.Refreshed += refreshed.Add;

        var change = controller.UpdateConfig("ops", "ramp", s => s with { CanaryPct = 10 });
        Assert.That(controller.Refresh(), Is.False, "already serving the stored version");
        Assert.That(controller.Refresh(new VersionedSettings(1, Canary50 with { CanaryPct = 99 })), Is.False, "not newer");
        var newer = new VersionedSettings(2, Canary50 with { KillSwitch = true, CanaryPct = 0 });
        Assert.That(controller.Refresh(newer), Is.True);

        Assert.That(changed, Is.EqualTo(new[] { change }));
        Assert.That(refreshed, Is.EqualTo(new[] { newer }));
        Assert.That((controller.State, controller.Version, _live.Current.KillSwitch), Is.EqualTo((RollbackState.RolledBack, 2L, true)));
        controller.Refresh(new VersionedSettings(3, Canary50 with { CanaryPct = 5 }));
        Assert.That((controller.State, _live.Current.CanaryPct), Is.EqualTo((RollbackState.Active, 5.0)), "re-enabled elsewhere");
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void Every_human_change_needs_an_actor(string? actor)
    {
        var controller = Controller();
        Assert.Multiple(() =>
        {
            Assert.That(() => controller.ManualRollback(actor!, "incident"), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => controller.ReEnable(actor!, "fixed", 10), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => controller.Resume(actor!, "explained"), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => controller.UpdateConfig(actor!, "ramp", s => s with { CanaryPct = 10 }), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => controller.UpdateConfigIfChanged(actor!, "ramp", s => s with { CanaryPct = 10 }), Throws.InstanceOf<ArgumentException>());
        });
        Assert.That((_live.Current, _store.History().Count, _audit.Read().Count), Is.EqualTo((Canary50, 0, 0)));
    }

    [TestCase("")]
    [TestCase(" ")]
    public void A_rollback_and_a_resume_must_say_why_but_a_config_change_or_re_enable_may_not(string reason)
    {
        var controller = Controller();
        Assert.Multiple(() =>
        {
            Assert.That(() => controller.ManualRollback("ops", reason), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => controller.Resume("ops", reason), Throws.InstanceOf<ArgumentException>());
        });
        Assert.That(controller.UpdateConfig("ops", reason, s => s with { CanaryPct = 10 }).Reason, Is.EqualTo(reason));
        Assert.That(controller.ReEnable("ops", reason, 20).Reason, Is.EqualTo(reason));
    }

    [Test]
    public void Missing_arguments_are_refused_naming_them()
    {
        var controller = Controller();
        Assert.Multiple(() =>
        {
            Assert.That(() => controller.ManualRollback("ops", null!), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("reason"));
            Assert.That(() => controller.ReEnable("ops", null!, 10), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("reason"));
            Assert.That(() => controller.UpdateConfig("ops", null!, s => s), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("reason"));
            Assert.That(() => controller.UpdateConfig("ops", "r", null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("update"));
            Assert.That(() => controller.Apply(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("verdict"));
            Assert.That(() => controller.Apply(VerdictAction.Rollback, null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("breaches"));
            Assert.That(() => controller.Refresh(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("stored"));
            Assert.That(() => new RollbackController(null!, _store, _audit), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("live"));
            Assert.That(() => new RollbackController(_live, null!, _audit), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("store"));
            Assert.That(() => new RollbackController(_live, _store, null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("audit"));
        });
    }

    [Test]
    public void An_update_that_returns_no_settings_is_refused_and_stores_nothing()
    {
        var controller = Controller();

        Assert.That(() => controller.UpdateConfig("ops", "bug", _ => null!), Throws.InvalidOperationException.With.Message.EqualTo("The update returned no settings."));

        Assert.That((_live.Current, _store.History().Count), Is.EqualTo((Canary50, 0)));
    }

    [Test]
    public void Resume_clears_a_pending_review_and_a_staged_rollback_in_progress()
    {
        var controller = Controller(new DetectorOptions { StagedRollback = true, StagedRollbackSteps = 3 });
        controller.Apply(VerdictAction.ManualReview, [Complaints]);
        controller.Apply(VerdictAction.Rollback, [Latency]);
        Assert.That((controller.State, controller.NeedsManualReview), Is.EqualTo((RollbackState.RollingBack, true)));

        var change = controller.Resume("ops", "explained");

        Assert.That((change.Kind, controller.State, controller.NeedsManualReview, controller.CanPromote), Is.EqualTo((SettingsChangeKind.Resume, RollbackState.Active, false, true)));
        Assert.That(_live.Current.CanaryPct, Is.EqualTo(25), "resume keeps the percentage it finds");
    }
}
