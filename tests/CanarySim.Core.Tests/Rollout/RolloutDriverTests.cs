using CanarySim.Harness.Scenarios;
using CanarySim.Core.Audit;
using CanarySim.Core.Rollout;

namespace CanarySim.Core.Tests.Rollout;

// The real detector, controller and stage machine over in-memory stores; the gates (people, artifacts) are scripted.
public sealed class RolloutDriverTests
{
    private sealed class Gates(bool pass) : IStageGateRunner
    {
        public GateOutcome Run(PlanGate gate, PlanStage stage, DateTimeOffset at) => new(gate, pass, pass ? "yes" : "no");
    }

    private sealed class Rig
    {
        public Rig(RouterSettings initial)
        {
            Live = new LiveSettings(initial);
            Store = new InMemorySettingsStore(initial);
            Metrics = new InMemoryMetricsStore(Time);
            Guard = new CanaryGuard(Metrics, Live, Store, new InMemoryAuditLog(), new DetectorOptions(), Time);
        }

        public FakeTimeProvider Time { get; } = new(ScenarioWorld.DefaultStart);
        public LiveSettings Live { get; }
        public InMemorySettingsStore Store { get; }
        public InMemoryMetricsStore Metrics { get; }
        public CanaryGuard Guard { get; }

        /// <summary>Ten minutes of healthy runs on both engines, then the clock moves on.</summary>
        public void Healthy()
        {
            var now = Time.GetUtcNow();
            for (var i = 0; i < 40; i++)
            {
                foreach (var engine in new[] { Engine.V1, Engine.V2 })
                {
                    Metrics.Add(new Sample { Engine = engine, At = now.AddSeconds(i), LatencyMs = 400 + i, Quality = 90, CostCents = 1 });
                }
            }
            Time.Advance(TimeSpan.FromMinutes(10));
        }
    }

    private static RolloutPlan Plan(params PlanStage[] stages) => new()
    {
        Name = "driver",
        Start = new FakeTimeProvider(ScenarioWorld.DefaultStart).GetUtcNow(),
        Duration = TimeSpan.FromDays(2),
        EvaluationInterval = TimeSpan.FromMinutes(10),
        Progression = new ProgressionOptions { HealthyEvaluations = 2 },
        Stages = stages,
    };

    private static PlanStage Stage(string name, StageKind kind, double pct, params PlanGate[] gates) =>
        new() { Name = name, Kind = kind, Percent = pct, MinHold = TimeSpan.FromMinutes(30), Gates = [new PlanGate { Kind = GateKind.Detector }, .. gates] };

    [Test]
    public void Advancing_from_shadow_sets_canary_mode_and_the_next_percentage_as_one_change_by_the_rollout()
    {
        var rig = new Rig(RouterSettings.Default with { Mode = RouterMode.Shadow, CanaryPct = 0 });
        var driver = new RolloutDriver(Plan(Stage("shadow", StageKind.Shadow, 0), Stage("c10", StageKind.Canary, 10)), rig.Guard, new Gates(true), rig.Time);
        Assert.That(driver.Start(), Is.Null, "the router already runs the first stage");

        var advanced = false;
        for (var i = 0; i < 12 && !advanced; i++)
        {
            rig.Healthy();
            advanced = driver.Evaluate().Steps.Any(s => s.Kind == StageStepKind.Advance);
        }

        Assert.That(advanced, Is.True);
        Assert.That(driver.Stage.Name, Is.EqualTo("c10"));
        Assert.That(rig.Live.Current.Mode, Is.EqualTo(RouterMode.Canary));
        Assert.That(rig.Live.Current.CanaryPct, Is.EqualTo(10));
        var change = rig.Store.History()[^1];
        Assert.That((change.Actor, change.Before.Mode, change.After.Mode), Is.EqualTo((RolloutDriver.Actor, RouterMode.Shadow, RouterMode.Canary)));
    }

    [Test]
    public void A_failed_rollback_rehearsal_gate_rolls_back_through_the_controller()
    {
        var rig = new Rig(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 50 });
        var driver = new RolloutDriver(Plan(Stage("c50", StageKind.Canary, 50, new PlanGate { Kind = GateKind.RollbackRehearsal }), Stage("all", StageKind.Progressive, 100)),
            rig.Guard, new Gates(false), rig.Time);

        for (var i = 0; i < 12 && driver.Status == RolloutStatus.Running; i++)
        {
            rig.Healthy();
            driver.Evaluate();
        }

        Assert.That(driver.Status, Is.EqualTo(RolloutStatus.RolledBack));
        Assert.That(rig.Live.Current.KillSwitch, Is.True);
        Assert.That(rig.Store.History()[^1] is { Kind: SettingsChangeKind.Rollback, Actor: RolloutDriver.Actor });
    }

    [Test]
    public void Rollbacks_count_only_since_the_stage_began_and_a_paused_controller_holds_the_stage()
    {
        var rig = new Rig(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 20 });
        var driver = new RolloutDriver(Plan(Stage("c20", StageKind.Canary, 20), Stage("c40", StageKind.Canary, 40)), rig.Guard, new Gates(true), rig.Time);
        rig.Guard.Controller.Apply(VerdictAction.Pause, []);

        for (var i = 0; i < 6; i++)
        {
            rig.Healthy();
            driver.Evaluate();
        }
        Assert.That(driver.Stage.Name, Is.EqualTo("c20"), "a paused controller keeps the stage");
        Assert.That(driver.LastObservation!.Action, Is.EqualTo(VerdictAction.Hold));

        rig.Guard.Controller.Apply(VerdictAction.ReduceTraffic, []);
        rig.Healthy();
        driver.Evaluate();
        Assert.That(driver.LastObservation!.Metrics.Rollbacks, Is.EqualTo(1));

        rig.Guard.Resume("operator", "healthy again");
        rig.Guard.Controller.UpdateConfig("operator", "restore", s => s with { CanaryPct = 20 });
        for (var i = 0; i < 12 && driver.Stage.Name == "c20"; i++)
        {
            rig.Healthy();
            driver.Evaluate();
        }
        Assert.That(driver.Stage.Name, Is.EqualTo("c40"));
        rig.Healthy();
        driver.Evaluate();
        Assert.That(driver.LastObservation!.Metrics.Rollbacks, Is.Zero, "the reduction happened in the previous stage");
    }

    [Test]
    public void A_resumed_driver_starts_at_its_stored_stage_with_the_hold_already_served_and_acts_as_the_given_actor()
    {
        var rig = new Rig(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 20 });
        var entered = rig.Time.GetUtcNow().AddMinutes(-25); // 25 of the stage's 30 minutes were served before a restart
        var driver = new RolloutDriver(Plan(Stage("c5", StageKind.Canary, 5), Stage("c20", StageKind.Canary, 20), Stage("c40", StageKind.Canary, 40)),
            rig.Guard, new Gates(true), rig.Time, options: new RolloutDriverOptions { Actor = "plan", StageIndex = 1, StageEnteredAt = entered });

        Assert.That((driver.Stage.Name, driver.Machine.StageEnteredAt), Is.EqualTo(("c20", entered)));
        Assert.That(driver.Start(), Is.Null, "the router already serves the stored stage");
        rig.Healthy(); // 10 minutes: the hold is served, the first healthy evaluation
        driver.Evaluate();
        rig.Healthy();
        driver.Evaluate();

        Assert.That(driver.Stage.Name, Is.EqualTo("c40"));
        Assert.That(rig.Store.History()[^1] is { Actor: "plan", Kind: SettingsChangeKind.Config } change && change.After.CanaryPct == 40);
    }

    [Test]
    public void A_resumed_driver_keeps_the_stages_healthy_streak_criterion_timers_and_rollbacks()
    {
        var rig = new Rig(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 20 });
        var now = rig.Time.GetUtcNow();
        var c20 = Stage("c20", StageKind.Canary, 20) with
        {
            MinHold = TimeSpan.Zero,
            ExitCriteria = [new ExitCriterion { Metric = "quality", Op = ">", Value = 80, For = TimeSpan.FromMinutes(25) }, new ExitCriterion { Metric = "rollbacks", Op = "<", Value = 1 }],
        };
        var plan = Plan(Stage("c5", StageKind.Canary, 5), c20, Stage("c40", StageKind.Canary, 40));
        var options = new RolloutDriverOptions { StageIndex = 1, StageEnteredAt = now.AddMinutes(-30), HealthyStreak = 1, CriteriaSince = [now.AddMinutes(-20), now.AddMinutes(-30)] };
        var resumed = new RolloutDriver(plan, rig.Guard, new Gates(true), rig.Time, options: options);
        var rolledBack = new RolloutDriver(plan, new Rig(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 20 }).Guard, new Gates(true), rig.Time,
            options: options with { Rollbacks = [now.AddMinutes(-40), now.AddMinutes(-5)] });
        var fresh = new RolloutDriver(plan, new Rig(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 20 }).Guard, new Gates(true), rig.Time,
            options: options with { HealthyStreak = 0, CriteriaSince = null });
        Assert.That((resumed.Machine.HealthyStreak, resumed.Machine.CriteriaSince[0]), Is.EqualTo((1, (DateTimeOffset?)now.AddMinutes(-20))));

        rig.Healthy(); // 10 minutes: the quality criterion has held 30 of its 25 minutes, and this is the second healthy evaluation
        var outcome = rig.Guard.EvaluateAndAct();
        resumed.Observe(outcome);
        rolledBack.Observe(outcome);
        fresh.Observe(outcome);

        Assert.Multiple(() =>
        {
            Assert.That(resumed.Stage.Name, Is.EqualTo("c40"), "streak, criterion timer and rollback count carried over the restart");
            Assert.That(rolledBack.Stage.Name, Is.EqualTo("c20"), "the stage's earlier rollback (5 minutes ago) still counts; the one before it does not");
            Assert.That(rolledBack.LastObservation!.Metrics.Rollbacks, Is.EqualTo(1));
            Assert.That(fresh.Stage.Name, Is.EqualTo("c20"), "without them the stage starts over");
        });
    }

    [Test]
    public void A_journal_that_cannot_store_the_advance_keeps_the_router_at_the_stage()
    {
        var rig = new Rig(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 20 });
        var journaled = new List<StageStep>();
        var failing = true;
        var driver = new RolloutDriver(Plan(Stage("c20", StageKind.Canary, 20), Stage("c40", StageKind.Canary, 40)), rig.Guard, new Gates(true), rig.Time,
            options: new RolloutDriverOptions
            {
                Journal = step =>
                {
                    if (failing)
                    {
                        throw new IOException("store down");
                    }
                    journaled.Add(step);
                },
            });
        var threw = false;
        for (var i = 0; i < 6 && !threw; i++)
        {
            rig.Healthy();
            try
            {
                driver.Evaluate();
            }
            catch (IOException)
            {
                threw = true;
            }
        }

        Assert.That(threw, Is.True, "the advance was attempted");
        Assert.That(rig.Live.Current.CanaryPct, Is.EqualTo(20), "nothing is applied without a stored transition");
        Assert.That(journaled, Is.Empty);
        failing = false;
        var rebuilt = new RolloutDriver(driver.Plan, rig.Guard, new Gates(true), rig.Time, options: new RolloutDriverOptions { Journal = journaled.Add });
        driver.Detach();
        for (var i = 0; i < 6 && rebuilt.Stage.Name == "c20"; i++)
        {
            rig.Healthy();
            rebuilt.Evaluate();
        }
        Assert.That(journaled.Select(s => s.Kind), Is.EqualTo(new[] { StageStepKind.Advance }));
        Assert.That(rig.Live.Current.CanaryPct, Is.EqualTo(40));
    }

    [Test]
    public void Works_on_the_system_clock()
    {
        var live = new LiveSettings(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 5 });
        var guard = new CanaryGuard(new InMemoryMetricsStore(TimeProvider.System), live, new InMemorySettingsStore(), new InMemoryAuditLog(), new DetectorOptions(), TimeProvider.System);
        var driver = new RolloutDriver(Plan(Stage("c5", StageKind.Canary, 5)), guard, new Gates(true), TimeProvider.System);

        var evaluation = driver.Evaluate();

        Assert.That(evaluation.Steps, Is.Empty);
        Assert.That(driver.LastObservation!.Verdict, Is.EqualTo(VerdictOutcome.InsufficientData));
        Assert.That(driver.Machine.StageEnteredAt, Is.GreaterThan(DateTimeOffset.UnixEpoch));
    }
}
