using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;
using CanarySim.Core.Reporting;

namespace CanarySim.Core.Tests.Rollout;

/// <summary>
/// Application metrics injected into whole simulations (the real router, detector and rollback controller):
/// a declared check over one agent's runs catches a metric injected for that agent only, a single-run metric
/// is caught at the next evaluation, a typo is refused before anything runs, and a stalled pipeline is the
/// only thing the evidence log calls BLOCKED_EXECUTION_PIPELINE.
/// </summary>
public sealed class MetricInjectionSimulationTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 16, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A 20 % canary for two days over STOCK_CHECKER and SICK_CALLER conversations.</summary>
    private const string Plan = """
        schema: canarysim.plan/v1
        name: conversation20
        start: 2026-02-16T00:00:00Z
        duration: 2d
        evidence: { window: 6h }
        traffic: { requests: 100000, profile: steady, sessions: 20000, agents: [STOCK_CHECKER, SICK_CALLER] }
        progression: { healthy_evaluations: 10 }
        stages:
          - { name: shadow, kind: shadow, percent: 0, min_hold: 2h }
          - { name: canary-20, kind: progressive, percent: 20, min_hold: 7d }
        """;

    private const string Watch = """
        {"schema": "canarysim.policy/v2", "window": {"duration": "15m"}, "min_samples": 30, "checks": [
          {"name": "llm_rate_sick_caller", "metric": "llm_call", "aggregate": "rate", "where": {"agent": "SICK_CALLER"}, "max": 0.25, "min_samples": 10, "action": "rollback"},
          {"name": "watch_anomalies", "metric": "anomaly", "aggregate": "count", "max": 0, "min_samples": 0, "action": "rollback"}]}
        """;

    private static SimulationResult Simulate(string plan = Plan, params string[] inject) =>
        new RolloutSimulator(PlanLoader.Parse(plan, "test.yaml").Plan, new SimulationOptions
        {
            Seed = 11,
            Injections = FaultInjectionParser.ParseAll(inject, Start),
            Policy = PolicyLoader.Parse(Watch, "watch.json"),
        }).Run();

    [Test]
    public void Without_an_injection_every_run_reports_the_policys_metrics_and_the_watch_passes()
    {
        var r = Simulate();
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.Not.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(r.SettingsHistory.Where(c => c.Actor == "auto"), Is.Empty);
            Assert.That(r.Report.FinalPercent, Is.EqualTo(20), "promoted: the checks had data and passed");
        });
    }

    [Test]
    public void An_llm_rate_injected_for_sick_caller_is_caught_by_the_check_over_sick_callers_runs()
    {
        var r = Simulate(inject: "v2.llm_call=35% for SICK_CALLER at day 1");
        var i = r.Injections.Single();
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(i.FirstBreachChecks, Is.EqualTo(new[] { "llm_rate_sick_caller" }));
            Assert.That(i.FirstBreachAt, Is.GreaterThan(Start.AddDays(1)), "never before the injection");
            Assert.That(i.TimeToRollback, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(30)));
        });
    }

    [Test]
    public void The_same_llm_rate_on_another_agents_runs_is_not_sick_callers()
    {
        var r = Simulate(inject: "v2.llm_call=35% for STOCK_CHECKER at day 1");
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.Not.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(r.Injections.Single().FirstBreachAt, Is.Null);
        });
    }

    [Test]
    public void A_low_llm_rate_for_sick_caller_is_tolerated()
    {
        var r = Simulate(inject: "v2.llm_call=5% for SICK_CALLER at day 1");
        Assert.That(r.Injections.Single().RollbackAt, Is.Null);
    }

    [Test]
    public void One_anomaly_rolls_back_at_the_next_evaluation()
    {
        var r = Simulate(inject: "v2.anomaly at day 1");
        var i = r.Injections.Single();
        Assert.Multiple(() =>
        {
            Assert.That(i.FirstBreachChecks, Is.EqualTo(new[] { "watch_anomalies" }));
            Assert.That(i.TimeToRollback, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(2)));
        });
    }

    [Test]
    public void Injections_are_deterministic_per_seed()
    {
        var a = Simulate(inject: "v2.llm_call=30% for SICK_CALLER at day 1");
        var b = Simulate(inject: "v2.llm_call=30% for SICK_CALLER at day 1");
        Assert.That(a.Evidence.ToJson(), Is.EqualTo(b.Evidence.ToJson()));
        Assert.That(a.AuditJsonl(), Is.EqualTo(b.AuditJsonl()));
    }

    [Test]
    public void A_metric_neither_the_plan_nor_the_policy_knows_is_refused_before_running()
    {
        var plan = PlanLoader.Parse(Plan, "test.yaml").Plan;
        var policy = PolicyLoader.Parse(Watch, "watch.json");
        var ex = Assert.Throws<FormatException>(() => _ = new RolloutSimulator(plan, new SimulationOptions
        {
            Injections = FaultInjectionParser.ParseAll(["v2.llm_calls=35% for SICK_CALLER at day 1"], Start),
            Policy = policy,
        }))!;
        Assert.That(ex.Message, Does.Contain("unknown fault or metric 'llm_calls' (did you mean 'llm_call'?)"));
        var inPlan = Assert.Throws<PlanValidationException>(() => _ = new RolloutSimulator(plan with { Inject = ["v2.anomalie at day 1"] }, new SimulationOptions { Policy = policy }))!;
        Assert.That(inPlan.Errors.Single().ToString(), Does.Contain("inject: cannot read injection 'v2.anomalie at day 1': unknown fault or metric 'anomalie' (did you mean 'anomaly'?)"));
    }

    [Test]
    public void Only_a_stalled_pipeline_is_blocked_execution_pipeline()
    {
        var r = Simulate(inject: "v2.stall at 27h for 12h");
        var rows = r.Evidence.Rows;
        string DecisionAt(int hours) => rows.Single(x => x.At == Start.AddHours(hours)).Decision;
        var blocked = rows.Where(x => x.Decision == EvidenceDecision.BlockedExecutionPipeline).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(blocked.Select(x => x.At), Is.EqualTo(new[] { Start.AddHours(36) }), "the one window entirely inside the stall; " + string.Join(", ", rows.Select(x => x.Decision)));
            Assert.That(blocked[0].V2Requests, Is.Zero, "no v2 run completed");
            Assert.That(blocked[0].Notes, Does.Contain("v2 runs stalled (never completed, active_runs stayed above 0; v1 answered)"));
            Assert.That(DecisionAt(30), Is.EqualTo(EvidenceDecision.PartialTimeoutRecovered), "the stall began in this window");
            Assert.That(DecisionAt(42), Is.EqualTo(EvidenceDecision.PartialTimeoutRecovered), "the stall ended in this window");
            Assert.That(DecisionAt(48), Is.EqualTo(EvidenceDecision.GoBroaderTrafficActive));
            Assert.That(r.Outcome, Is.Not.EqualTo(SimulationOutcome.RolledBack));
        });
    }
}
