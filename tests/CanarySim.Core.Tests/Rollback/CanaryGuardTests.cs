using CanarySim.Core.Audit;
using CanarySim.Core.Judging;
using CanarySim.Core.Tests.Detection;

namespace CanarySim.Core.Tests.Rollback;

public sealed class CanaryGuardTests
{
    private static readonly RouterSettings Canary20 = RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 20 };

    private sealed record Rig(FakeTimeProvider Clock, InMemoryMetricsStore Metrics, LiveSettings Live, InMemorySettingsStore Settings, InMemoryAuditLog Audit, CanaryGuard Guard);

    private static Rig Build(DetectorOptions? options = null, IMetricsStore? metrics = null)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        var live = new LiveSettings(Canary20);
        var settings = new InMemorySettingsStore(Canary20);
        var audit = new InMemoryAuditLog();
        return new Rig(clock, store, live, settings, audit, new CanaryGuard(metrics ?? store, live, settings, audit, options, clock));
    }

    [Test]
    public void A_breaching_evaluation_rolls_back_the_live_settings_and_is_audited()
    {
        var rig = Build();
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow()));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow(), (_, s) => s with { Quality = 82 }));
        var outcome = rig.Guard.EvaluateAndAct();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Action, Is.EqualTo(VerdictAction.Rollback));
            Assert.That(outcome.RunPhase, Is.EqualTo(AnalysisPhase.Failed));
            Assert.That(outcome.Change!.Kind, Is.EqualTo(SettingsChangeKind.Rollback));
            Assert.That(rig.Live.Current.KillSwitch, Is.True);
            Assert.That(rig.Settings.Current.Settings.KillSwitch, Is.True);
            Assert.That(rig.Audit.Read("evaluation").Single().Data, Does.Contain("\"verdict\":\"fail\"").Or.Contain("\"verdict\": \"fail\""));
        });
    }

    [Test]
    public void Healthy_metrics_after_a_rollback_never_re_trigger_and_re_enable_starts_a_new_run()
    {
        var rig = Build();
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow()));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow(), (_, s) => s with { Quality = 82 }));
        rig.Guard.EvaluateAndAct();
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow()));
        var healthy = rig.Guard.EvaluateAndAct();
        Assert.That(healthy.Verdict!.Outcome, Is.EqualTo(VerdictOutcome.Pass));
        Assert.That(healthy.Change, Is.Null);
        Assert.That(rig.Live.Current.KillSwitch, Is.True);
        Assert.That(rig.Settings.History(), Has.Count.EqualTo(1));

        rig.Guard.ReEnable("alice", "fixed", 5);
        Assert.That(rig.Guard.Run.Phase, Is.EqualTo(AnalysisPhase.Running));
        Assert.That(rig.Guard.EvaluateAndAct().Action, Is.EqualTo(VerdictAction.None));
        Assert.That(rig.Live.Current.CanaryPct, Is.EqualTo(5));
    }

    [Test]
    public void Failures_within_the_failure_limit_hold_then_the_next_one_rolls_back()
    {
        var rig = Build(new DetectorOptions { FailureLimit = 1 });
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow()));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow(), (_, s) => s with { Quality = 82 }));
        var first = rig.Guard.EvaluateAndAct();
        Assert.That(first.Action, Is.EqualTo(VerdictAction.Hold));
        Assert.That(rig.Live.Current.KillSwitch, Is.False);
        var second = rig.Guard.EvaluateAndAct();
        Assert.That(second.Action, Is.EqualTo(VerdictAction.Rollback));
        Assert.That(rig.Live.Current.KillSwitch, Is.True);
    }

    [Test]
    public void A_policy_violation_rolls_back_at_once_whatever_the_failure_limit()
    {
        var rig = Build(new DetectorOptions { FailureLimit = 5 });
        rig.Metrics.Add(Samples.Healthy(Engine.V2, rig.Clock.GetUtcNow()) with { PolicyViolation = true });
        Assert.That(rig.Guard.EvaluateAndAct().Action, Is.EqualTo(VerdictAction.Rollback));
        Assert.That(rig.Live.Current.KillSwitch, Is.True);
    }

    [Test]
    public void A_policy_violation_among_other_breaches_still_rolls_back_at_once_and_the_evaluation_is_audited()
    {
        var rig = Build(new DetectorOptions { FailureLimit = 5 });
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow()));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow(), (i, s) => s with { Quality = 82, PolicyViolation = i == 0 }));

        var outcome = rig.Guard.EvaluateAndAct();

        Assert.That(outcome.Breaches.Select(b => b.Check), Does.Contain(CheckNames.PolicyViolation).And.Contain("quality"));
        Assert.That((outcome.Action, outcome.RunPhase, rig.Live.Current.KillSwitch), Is.EqualTo((VerdictAction.Rollback, AnalysisPhase.Running, true)),
            "one failure is within the limit of 5, but a policy violation acts at once");
        using var audited = System.Text.Json.JsonDocument.Parse(rig.Audit.Read("evaluation").Single().Data);
        var root = audited.RootElement;
        Assert.That((root.GetProperty("measurement").GetString(), root.GetProperty("run_phase").GetString(), root.GetProperty("action").GetString(), root.GetProperty("change_sequence").GetInt64()),
            Is.EqualTo(("failed", "running", "rollback", outcome.Change!.Sequence)));
        Assert.That(root.GetProperty("verdict").GetProperty("verdict").GetString(), Is.EqualTo("fail"));
        Assert.That(root.TryGetProperty("error", out _), Is.False);
    }

    [Test]
    public void An_error_measurement_is_stamped_by_the_guards_clock_before_and_after_a_re_enable()
    {
        var rig = Build(metrics: new FailingStore());
        rig.Clock.Advance(TimeSpan.FromHours(3));
        var first = rig.Guard.EvaluateAndAct();
        Assert.That(first.Measurement.At, Is.EqualTo(TestClock.Epoch.AddHours(3)), "the guard's clock, not the machine's");

        for (var i = 0; i < 4; i++)
        {
            rig.Guard.EvaluateAndAct(); // the fifth consecutive error rolls back
        }
        Assert.That(rig.Live.Current.KillSwitch, Is.True);
        rig.Guard.ReEnable("alice", "backend fixed", 5);
        rig.Clock.Advance(TimeSpan.FromMinutes(7));
        var afterReEnable = rig.Guard.EvaluateAndAct();
        Assert.That(afterReEnable.Measurement.At, Is.EqualTo(TestClock.Epoch.AddHours(3).AddMinutes(7)), "the new run keeps the guard's clock");
    }

    [Test]
    public void A_failing_metric_source_holds_and_rolls_back_after_more_than_four_consecutive_errors()
    {
        var failing = new FailingStore();
        var rig = Build(metrics: failing);
        for (var i = 0; i < 4; i++)
        {
            var o = rig.Guard.EvaluateAndAct();
            Assert.That(o.Measurement.Phase, Is.EqualTo(MeasurementPhase.Error));
            Assert.That(o.Action, Is.EqualTo(VerdictAction.Hold), "an error is never a pass, and never promotes");
        }
        Assert.That(rig.Live.Current.KillSwitch, Is.False);
        var fifth = rig.Guard.EvaluateAndAct();
        Assert.Multiple(() =>
        {
            Assert.That(fifth.RunPhase, Is.EqualTo(AnalysisPhase.Error));
            Assert.That(fifth.Action, Is.EqualTo(VerdictAction.Rollback));
            Assert.That(fifth.Breaches.Single().Reason, Is.EqualTo("metric_source (5 consecutive errors > 4: metrics backend unreachable)"));
            Assert.That(rig.Live.Current.KillSwitch, Is.True);
        });
    }

    [Test]
    public void A_breach_inside_its_sustain_window_is_pending_holds_and_still_escalates_when_sustained()
    {
        var rig = Build();
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow()));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow(), (i, s) => s with { Error = i < 8 }));
        var o = rig.Guard.EvaluateAndAct();
        Assert.Multiple(() =>
        {
            Assert.That(o.Measurement.Phase, Is.EqualTo(MeasurementPhase.Pending));
            Assert.That(o.Action, Is.EqualTo(VerdictAction.Hold));
            Assert.That(rig.Guard.Run.Phase, Is.EqualTo(AnalysisPhase.Running), "pending is not inconclusive");
            Assert.That(rig.Guard.Controller.CanPromote, Is.True, "a pending breach does not pause the rollout");
        });
        rig.Clock.Advance(TimeSpan.FromMinutes(5));
        var sustained = rig.Guard.EvaluateAndAct();
        Assert.That(sustained.Action, Is.EqualTo(VerdictAction.Rollback));
        Assert.That(rig.Live.Current.KillSwitch, Is.True);
    }

    [Test]
    public void A_short_spike_that_clears_inside_its_sustain_window_lets_the_run_carry_on()
    {
        var rig = Build();
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow()));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow(), (i, s) => s with { Error = i < 8 }));
        for (var minute = 0; minute < 3; minute++)
        {
            Assert.That(rig.Guard.EvaluateAndAct().Action, Is.EqualTo(VerdictAction.Hold));
            rig.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow()));
        var healthy = rig.Guard.EvaluateAndAct();
        Assert.Multiple(() =>
        {
            Assert.That(healthy.Verdict!.Outcome, Is.EqualTo(VerdictOutcome.Pass));
            Assert.That(healthy.Action, Is.EqualTo(VerdictAction.None), "once the spike clears the run continues");
            Assert.That(healthy.RunPhase, Is.EqualTo(AnalysisPhase.Running));
            Assert.That(rig.Guard.Controller.CanPromote, Is.True);
            Assert.That(rig.Live.Current.CanaryPct, Is.EqualTo(20));
        });
    }

    /// <summary>A judge whose one failing group (latency, weight 10 %) scores 90: a marginal, inconclusive run.</summary>
    internal static DetectorOptions MarginalJudge()
    {
        var options = new DetectorOptions
        {
            Judge = new JudgeOptions
            {
                Metrics =
                [
                    new JudgedMetric { Name = "latency_ms", Direction = MetricDirection.Increase },
                    new JudgedMetric { Name = "quality", Group = "quality" },
                    new JudgedMetric { Name = "cost_cents", Group = "cost" },
                    new JudgedMetric { Name = "tokens", Group = "tokens" },
                ],
            },
        };
        options.Judge.GroupWeights["latency_ms"] = 10; // one failing group worth 10 % -> score 90: marginal
        return options;
    }

    [Test]
    public void A_truly_inconclusive_run_pauses_visibly_and_one_audited_resume_continues()
    {
        var rig = Build(MarginalJudge());
        rig.Metrics.AddRange(Samples.Many(100, Engine.V1, rig.Clock.GetUtcNow(), (i, s) => s with { LatencyMs = 800 + i % 20 }));
        rig.Metrics.AddRange(Samples.Many(100, Engine.V2, rig.Clock.GetUtcNow(), (i, s) => s with { LatencyMs = 1200 + i % 20 }));
        var o = rig.Guard.EvaluateAndAct();
        Assert.Multiple(() =>
        {
            Assert.That(o.Measurement.Phase, Is.EqualTo(MeasurementPhase.Inconclusive));
            Assert.That(o.RunPhase, Is.EqualTo(AnalysisPhase.Inconclusive));
            Assert.That(o.Action, Is.EqualTo(VerdictAction.Pause));
            Assert.That(o.Change!.Kind, Is.EqualTo(SettingsChangeKind.Pause));
            Assert.That(o.Change.Reason, Does.StartWith("paused: inconclusive (judge, 90)"));
            Assert.That(rig.Guard.Controller.State, Is.EqualTo(RollbackState.Paused));
            Assert.That(rig.Guard.Controller.CanPromote, Is.False);
        });

        var change = rig.Guard.Resume("alice", "latency shift accepted");

        Assert.That(change.Kind, Is.EqualTo(SettingsChangeKind.Resume));
        Assert.That(rig.Guard.Run.Phase, Is.EqualTo(AnalysisPhase.Running));
        Assert.That(rig.Guard.Controller.CanPromote, Is.True);
        Assert.That(rig.Settings.History().Last().Actor, Is.EqualTo("alice"));
    }

    [Test]
    public void Resume_is_no_way_out_of_a_rollback()
    {
        var rig = Build();
        rig.Guard.ManualRollback("bob", "bad deploy");
        Assert.Throws<InvalidOperationException>(() => rig.Guard.Resume("bob", "try again"));
        Assert.That(rig.Live.Current.KillSwitch, Is.True);
    }

    private sealed class FailingStore : IMetricsStore
    {
        public void Add(Sample sample) => throw new InvalidOperationException("metrics backend unreachable");
        public IReadOnlyList<Sample> LastRuns(Engine engine, int count) => throw new InvalidOperationException("metrics backend unreachable");
        public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since) => throw new InvalidOperationException("metrics backend unreachable");
    }
}
