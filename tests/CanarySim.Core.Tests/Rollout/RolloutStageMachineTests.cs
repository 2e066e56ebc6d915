using CanarySim.Core.Rollout;

namespace CanarySim.Core.Tests.Rollout;

public sealed class RolloutStageMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 16, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Stands in for the people and artifacts behind manual and release gates.</summary>
    private sealed class ScriptedGates(params bool[] answers) : IStageGateRunner
    {
        private int _next;
        public List<PlanGate> Asked { get; } = [];

        public GateOutcome Run(PlanGate gate, PlanStage stage, DateTimeOffset at)
        {
            Asked.Add(gate);
            var pass = _next < answers.Length ? answers[_next++] : true;
            return new GateOutcome(gate, pass, pass ? "yes" : "no");
        }
    }

    private static RolloutPlan Plan(int healthy = 3, params PlanStage[] stages) => new()
    {
        Name = "t",
        Duration = TimeSpan.FromDays(30),
        Progression = new ProgressionOptions { HealthyEvaluations = healthy, MaxDivergence = 0.2, SlowDownFactor = 3 },
        Stages = stages.Length > 0 ? stages :
        [
            new PlanStage { Name = "shadow", Kind = StageKind.Shadow, Percent = 0, MinHold = TimeSpan.FromHours(1) },
            new PlanStage { Name = "c5", Kind = StageKind.Canary, Percent = 5, MinHold = TimeSpan.FromHours(1) },
        ],
    };

    private static StageObservation Pass(DateTimeOffset at, double served = 0, RolloutMetrics? metrics = null) =>
        new() { At = at, Verdict = VerdictOutcome.Pass, ServedPercent = served, Metrics = metrics ?? new RolloutMetrics() };

    [Test]
    public void Advances_only_after_the_minimum_hold_and_n_healthy_evaluations()
    {
        var m = new RolloutStageMachine(Plan(), new ScriptedGates(), T0);
        for (var i = 1; i <= 59; i++)
        {
            Assert.That(m.Observe(Pass(T0.AddMinutes(i))), Is.Empty, $"minute {i}: hold not over");
        }
        var steps = m.Observe(Pass(T0.AddMinutes(60)));
        Assert.Multiple(() =>
        {
            Assert.That(steps.Single().Kind, Is.EqualTo(StageStepKind.Advance));
            Assert.That(steps.Single().ToPercent, Is.EqualTo(5));
            Assert.That(m.Stage.Name, Is.EqualTo("c5"));
            Assert.That(m.StageEnteredAt, Is.EqualTo(T0.AddMinutes(60)));
        });
    }

    [Test]
    public void A_non_passing_evaluation_restarts_the_healthy_streak()
    {
        var m = new RolloutStageMachine(Plan(healthy: 3), new ScriptedGates(), T0);
        m.Observe(Pass(T0.AddMinutes(58)));
        m.Observe(Pass(T0.AddMinutes(59)));
        m.Observe(new StageObservation { At = T0.AddMinutes(60), Verdict = VerdictOutcome.Inconclusive, Action = VerdictAction.Hold });
        Assert.That(m.Observe(Pass(T0.AddMinutes(61))), Is.Empty);
        Assert.That(m.Observe(Pass(T0.AddMinutes(62))), Is.Empty);
        Assert.That(m.Observe(Pass(T0.AddMinutes(63))).Single().Kind, Is.EqualTo(StageStepKind.Advance));
    }

    [Test]
    public void Insufficient_data_never_promotes()
    {
        var m = new RolloutStageMachine(Plan(healthy: 1), new ScriptedGates(), T0);
        for (var i = 60; i < 200; i++)
        {
            Assert.That(m.Observe(new StageObservation { At = T0.AddMinutes(i), Verdict = VerdictOutcome.InsufficientData }), Is.Empty);
        }
        Assert.That(m.StageIndex, Is.Zero);
    }

    [Test]
    public void Kill_switch_stops_the_rollout_and_later_healthy_evaluations_do_nothing()
    {
        var m = new RolloutStageMachine(Plan(healthy: 1), new ScriptedGates(), T0);
        var steps = m.Observe(new StageObservation { At = T0.AddMinutes(5), Verdict = VerdictOutcome.Fail, Action = VerdictAction.Rollback, KillSwitch = true, Breaches = ["latency (V2 p95: 1850ms > 1600ms)"] });
        Assert.That(steps.Single().Kind, Is.EqualTo(StageStepKind.RolledBack));
        Assert.That(steps.Single().Reason, Does.Contain("latency (V2 p95: 1850ms > 1600ms)"));
        Assert.That(m.Status, Is.EqualTo(RolloutStatus.RolledBack));
        Assert.That(m.Observe(Pass(T0.AddHours(5))), Is.Empty);
        Assert.That(m.StageIndex, Is.Zero);
    }

    [Test]
    public void Gates_run_in_order_once_eligible_and_a_failed_manual_approval_holds()
    {
        var stages = new[]
        {
            new PlanStage { Name = "c5", Kind = StageKind.Canary, Percent = 5, Gates = [new PlanGate { Kind = GateKind.Detector }, new PlanGate { Kind = GateKind.ManualApproval, Approver = "ops" }] },
            new PlanStage { Name = "p10", Kind = StageKind.Progressive, Percent = 10 },
        };
        var gates = new ScriptedGates(false, true);
        var m = new RolloutStageMachine(Plan(1, stages), gates, T0);
        var first = m.Observe(Pass(T0.AddMinutes(1), 5));
        Assert.That(first.Select(s => s.Kind), Is.EqualTo(new[] { StageStepKind.GatePassed, StageStepKind.GateFailed }));
        Assert.That(m.StageIndex, Is.Zero);
        var second = m.Observe(Pass(T0.AddMinutes(2), 5));
        Assert.That(second.Select(s => s.Kind), Is.EqualTo(new[] { StageStepKind.GatePassed, StageStepKind.Advance }), "the detector gate already passed is not asked again");
        Assert.That(gates.Asked, Has.Count.EqualTo(2));
    }

    [Test]
    public void A_release_gate_no_go_asks_for_an_immediate_rollback()
    {
        var stages = new[]
        {
            new PlanStage { Name = "s10", Kind = StageKind.Progressive, Percent = 10, Gates = [new PlanGate { Kind = GateKind.ReleaseGate, Artifacts = ["a.json"] }] },
            new PlanStage { Name = "s25", Kind = StageKind.Progressive, Percent = 25 },
        };
        var m = new RolloutStageMachine(Plan(1, stages), new ScriptedGates(false), T0);
        var steps = m.Observe(Pass(T0.AddMinutes(1), 10));
        Assert.That(steps.Select(s => s.Kind), Is.EqualTo(new[] { StageStepKind.GateFailed, StageStepKind.Rollback }));
        Assert.That(steps[1].ToPercent, Is.Zero);
        Assert.That(m.Status, Is.EqualTo(RolloutStatus.RolledBack));
    }

    /// <summary>A release gate that waits (its artifacts not posted yet) until <see cref="Ready"/>, then says GO.</summary>
    private sealed class PendingGates : IStageGateRunner
    {
        public bool Ready { get; set; }

        public GateOutcome Run(PlanGate gate, PlanStage stage, DateTimeOffset at) =>
            Ready ? new GateOutcome(gate, true, "GO") : new GateOutcome(gate, false, "waiting for artifacts") { Pending = true };
    }

    [Test]
    public void A_pending_release_gate_holds_without_rollback_or_breaking_the_streak_and_passes_when_decided()
    {
        var stages = new[]
        {
            new PlanStage { Name = "s10", Kind = StageKind.Progressive, Percent = 10, Gates = [new PlanGate { Kind = GateKind.ReleaseGate, Artifacts = ["a.json"] }] },
            new PlanStage { Name = "s25", Kind = StageKind.Progressive, Percent = 25 },
        };
        var gates = new PendingGates();
        var m = new RolloutStageMachine(Plan(2, stages), gates, T0);
        m.Observe(Pass(T0.AddMinutes(1), 10));
        var waiting = m.Observe(Pass(T0.AddMinutes(2), 10));
        Assert.Multiple(() =>
        {
            Assert.That(waiting.Select(s => s.Kind), Is.EqualTo(new[] { StageStepKind.GateFailed }), "no rollback step");
            Assert.That(m.Status, Is.EqualTo(RolloutStatus.Running));
            Assert.That(m.HeldBecause, Is.EqualTo(new[] { "release_gate gate waiting: waiting for artifacts" }));
            Assert.That(m.HealthyStreak, Is.EqualTo(2));
        });
        gates.Ready = true;
        var steps = m.Observe(Pass(T0.AddMinutes(3), 10));
        Assert.That(steps.Select(s => s.Kind), Is.EqualTo(new[] { StageStepKind.GatePassed, StageStepKind.Advance }));
    }

    [Test]
    public void High_divergence_stretches_the_hold_once()
    {
        var m = new RolloutStageMachine(Plan(healthy: 1), new ScriptedGates(), T0);
        var diverging = new RolloutMetrics { Divergence = 0.3 };
        var steps = m.Observe(Pass(T0.AddMinutes(1), metrics: diverging));
        Assert.That(steps.Single().Kind, Is.EqualTo(StageStepKind.SlowDown));
        Assert.That(m.EffectiveMinHold, Is.EqualTo(TimeSpan.FromHours(3)));
        Assert.That(m.Observe(Pass(T0.AddMinutes(61), metrics: diverging)), Is.Empty, "no second slow-down, and 1h is no longer enough");
        Assert.That(m.Observe(Pass(T0.AddMinutes(180))).Single().Kind, Is.EqualTo(StageStepKind.Advance));
    }

    [Test]
    public void Reduced_traffic_holds_the_stage_until_restored()
    {
        var stages = new[]
        {
            new PlanStage { Name = "p50", Kind = StageKind.Progressive, Percent = 50 },
            new PlanStage { Name = "p75", Kind = StageKind.Progressive, Percent = 75 },
        };
        var m = new RolloutStageMachine(Plan(1, stages), new ScriptedGates(), T0);
        var reduced = m.Observe(Pass(T0.AddMinutes(1), served: 25));
        Assert.That(reduced.Single().Kind, Is.EqualTo(StageStepKind.TrafficReduced));
        Assert.That(reduced.Single().Reason, Does.Contain("25 % instead of 50 %"));
        Assert.That(m.Observe(Pass(T0.AddMinutes(2), served: 25)), Is.Empty);
        Assert.That(m.Observe(Pass(T0.AddMinutes(3), served: 50)).Single().Kind, Is.EqualTo(StageStepKind.Advance));
    }

    [Test]
    public void Exit_criteria_without_a_period_use_the_latest_window_and_with_a_period_the_aggregate()
    {
        var stages = new[]
        {
            new PlanStage
            {
                Name = "c5", Kind = StageKind.Canary, Percent = 5,
                ExitCriteria = [new ExitCriterion { Metric = "p95_latency_ms", Op = "<", Value = 2000 }, new ExitCriterion { Metric = "error_rate", Op = "<", Value = 0.01, For = TimeSpan.FromHours(2) }],
            },
            new PlanStage { Name = "p10", Kind = StageKind.Progressive, Percent = 10 },
        };
        var m = new RolloutStageMachine(Plan(1, stages), new ScriptedGates(), T0);
        double periodErrorRate = 0.02;
        StageObservation Obs(int minute, double p95) => Pass(T0.AddMinutes(minute), 5, new RolloutMetrics { P95LatencyMs = p95 }) with
        {
            PeriodMetrics = (metric, period) => metric == "error_rate" && period == TimeSpan.FromHours(2) ? periodErrorRate : null,
        };
        Assert.That(m.Observe(Obs(130, 1500)), Is.Empty, "error rate over 2h is 2 %");
        periodErrorRate = 0.005;
        Assert.That(m.Observe(Obs(131, 2500)), Is.Empty, "latest p95 2500 ms");
        Assert.That(m.ExitCriteriaMet, Is.False);
        Assert.That(m.Observe(Obs(132, 1999)).Single().Kind, Is.EqualTo(StageStepKind.Advance));
    }

    [Test]
    public void Without_period_figures_a_criterion_must_hold_at_every_evaluation_for_its_duration()
    {
        var stages = new[]
        {
            new PlanStage { Name = "c5", Kind = StageKind.Canary, Percent = 5, ExitCriteria = [new ExitCriterion { Metric = "error_rate", Op = "<", Value = 0.05, For = TimeSpan.FromMinutes(10) }] },
            new PlanStage { Name = "p10", Kind = StageKind.Progressive, Percent = 10 },
        };
        var m = new RolloutStageMachine(Plan(1, stages), new ScriptedGates(), T0);
        StageObservation Obs(int minute, double rate) => Pass(T0.AddMinutes(minute), 5, new RolloutMetrics { ErrorRate = rate });
        m.Observe(Obs(0, 0.01));
        m.Observe(Obs(5, 0.08));
        Assert.That(m.Observe(Obs(10, 0.01)), Is.Empty);
        Assert.That(m.Observe(Obs(19, 0.01)), Is.Empty);
        Assert.That(m.Observe(Obs(20, 0.01)).Single().Kind, Is.EqualTo(StageStepKind.Advance));
    }

    [Test]
    public void The_last_stage_completes_the_rollout()
    {
        var stages = new[] { new PlanStage { Name = "only", Kind = StageKind.Progressive, Percent = 30, MinHold = TimeSpan.FromMinutes(2) } };
        var m = new RolloutStageMachine(Plan(1, stages), new ScriptedGates(), T0);
        Assert.That(m.Observe(Pass(T0.AddMinutes(1), 30)), Is.Empty);
        Assert.That(m.Observe(Pass(T0.AddMinutes(2), 30)).Single().Kind, Is.EqualTo(StageStepKind.Completed));
        Assert.That(m.Status, Is.EqualTo(RolloutStatus.Completed));
    }

    [Test]
    public void Held_because_names_every_reason_the_stage_was_not_left()
    {
        var stages = new[]
        {
            new PlanStage
            {
                Name = "c5", Kind = StageKind.Canary, Percent = 5, MinHold = TimeSpan.FromHours(1),
                ExitCriteria = [new ExitCriterion { Metric = "error_rate", Op = "<", Value = 0.01 }],
            },
            new PlanStage { Name = "c25", Kind = StageKind.Canary, Percent = 25, MinHold = TimeSpan.FromHours(1) },
        };
        var m = new RolloutStageMachine(Plan(3, stages), new ScriptedGates(), T0);
        Assert.That(m.HeldBecause, Is.Empty, "just entered");

        m.Observe(Pass(T0.AddMinutes(10), served: 5, new RolloutMetrics { ErrorRate = 0.02 }));
        Assert.That(m.HeldBecause, Is.EqualTo(new[]
        {
            "exit criterion error_rate < 0.01 not met",
            "minimum hold 1h not reached (held 10m)",
            "1 of 3 healthy evaluations in a row",
        }));

        m.Observe(new StageObservation { At = T0.AddMinutes(20), Verdict = VerdictOutcome.Fail, Action = VerdictAction.Rollback, ServedPercent = 5, Breaches = ["latency (V2 p95: 1700ms > 1600ms)"], Metrics = new RolloutMetrics { ErrorRate = 0 } });
        Assert.That(m.HeldBecause[0], Is.EqualTo("the detector says fail, action rollback: latency (V2 p95: 1700ms > 1600ms)"));

        m.Observe(new StageObservation { At = T0.AddMinutes(30), Verdict = null });
        Assert.That(m.HeldBecause, Is.EqualTo(new[] { "no detector verdict (the metric source failed)" }));
    }

    [Test]
    public void A_failed_manual_gate_stays_a_reason_until_it_passes_and_leaving_clears_the_reasons()
    {
        var stages = new[]
        {
            new PlanStage { Name = "c5", Kind = StageKind.Canary, Percent = 5, MinHold = TimeSpan.FromMinutes(1), Gates = [new PlanGate { Kind = GateKind.ManualApproval, Approver = "ops" }] },
            new PlanStage { Name = "c25", Kind = StageKind.Canary, Percent = 25, MinHold = TimeSpan.FromHours(1) },
        };
        var m = new RolloutStageMachine(Plan(1, stages), new ScriptedGates(false, true), T0);
        m.Observe(Pass(T0.AddMinutes(5), served: 5));
        Assert.That(m.HeldBecause, Is.EqualTo(new[] { "manual_approval gate failed: no" }));
        m.Observe(new StageObservation { At = T0.AddMinutes(6), Verdict = VerdictOutcome.Inconclusive, Action = VerdictAction.Hold, ServedPercent = 5 });
        Assert.That(m.HeldBecause, Has.Member("manual_approval gate failed: no"));
        Assert.That(m.Observe(Pass(T0.AddMinutes(7), served: 5)).Last().Kind, Is.EqualTo(StageStepKind.Advance));
        Assert.That(m.HeldBecause, Is.Empty, "a new stage was entered");
    }
}
