using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;
using CanarySim.Core.Reporting;

namespace CanarySim.Core.Tests.Rollout;

/// <summary>
/// The seed plans that carry their seed's declared policy (<c>policy:</c>), the application metrics of their runs
/// (<c>traffic.metrics</c>) and the app's log lines in the evidence (<c>evidence.app_log</c>), simulated through the
/// real router, detector and rollback controller.
/// </summary>
public sealed class SeedPlanTests
{
    private static readonly DateTimeOffset ConversationStart = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private static SimulationResult Simulate(string file, long? requests = null, params string[] inject)
    {
        var plan = PlanFile.Load(Path.Combine(PlanLoaderTests.PlansDir, file)).Plan;
        return new RolloutSimulator(plan, new SimulationOptions
        {
            Seed = 42,
            Requests = requests,
            Injections = FaultInjectionParser.ParseAll(inject, plan.Start),
            ArtifactBase = PlanLoaderTests.PlansDir,
        }).Run();
    }

    [Test]
    public void The_conversation_plan_reads_its_policy_metrics_and_app_log()
    {
        var plan = PlanFile.Load(Path.Combine(PlanLoaderTests.PlansDir, "conversation-v2-watch.yaml")).Plan;
        var simulator = new RolloutSimulator(plan, new SimulationOptions { ArtifactBase = PlanLoaderTests.PlansDir });
        Assert.Multiple(() =>
        {
            Assert.That(plan.Policy, Is.EqualTo("../policies/conversation-v2-watch.json"));
            Assert.That(plan.AppLog, Is.True);
            Assert.That(plan.RollbackProcedure, Is.False);
            Assert.That(PlanFile.Load(Path.Combine(PlanLoaderTests.PlansDir, "moltbot-playbook.yaml")).Plan.RollbackProcedure, Is.True);
            Assert.That(plan.Traffic.Metrics["llm_call"], Is.EqualTo(new PlanMetric { Share = 0.12, Agent = "SICK_CALLER" }));
            Assert.That(plan.Traffic.MetricsOf(plan.Traffic.V1)["llm_call"].Share, Is.EqualTo(0.9), "v1 overrides by name");
            Assert.That(plan.Traffic.MetricsOf(plan.Traffic.V2)["llm_call"].Share, Is.EqualTo(0.12));
            Assert.That(simulator.DetectorOptions.Checks!.Select(c => c.Name), Does.Contain("llm_rate_sick_caller").And.Contain("watch_anomalies"));
        });
    }

    [Test]
    public void The_healthy_conversation_rollout_completes_with_the_apps_log_lines_in_the_evidence()
    {
        var r = Simulate("conversation-v2-watch.yaml");
        var notes = string.Join("\n", r.Evidence.Rows.Select(x => x.Notes));
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.EqualTo(SimulationOutcome.Completed), string.Join("\n", r.Evidence.Rows.Select(x => x.Decision + " " + x.Notes)));
            Assert.That(r.Evidence.Rows[0].Notes, Does.Contain("[STARTUP] Conversation engine: v2; [STARTUP] Kill switch active: False"));
            Assert.That(notes, Does.Contain("[V2-SUMMARY] engineVersion=v2 runs="));
            Assert.That(notes, Does.Match(@"\[V2-METRICS\] runs=\d+ anomaly=0\.0% idempotency_hit=\d\.\d% llm_call=\d+\.\d% \(SICK_CALLER 1\d\.\d%\)"));
            Assert.That(notes, Does.Not.Contain("[V2-ANOMALY]"), "no run reported an anomaly");
            Assert.That(r.Evidence.Policy, Has.Some.Contains("`llm_rate_sick_caller`: rate of llm_call where agent=SICK_CALLER > 0.25 → rollback"));
            Assert.That(r.SettingsHistory.Where(c => c.Actor == "auto"), Is.Empty);
            Assert.That(r.AppLog.Take(2), Is.EqualTo(new[] { "2026-02-01T00:00:00Z [STARTUP] Conversation engine: v2", "2026-02-01T00:00:00Z [STARTUP] Kill switch active: False" }));
            Assert.That(r.AppLog.Count(l => l.Contains(" [V2-SUMMARY] ", StringComparison.Ordinal)), Is.EqualTo(r.Evidence.Rows.Count(x => x.Notes.Contains("[V2-SUMMARY]", StringComparison.Ordinal))), "one summary line per window");
        });
    }

    [Test]
    public void An_anomaly_rolls_the_conversation_engine_back_and_the_log_shows_it_and_the_restart()
    {
        var r = Simulate("conversation-v2-watch.yaml", null, "v2.anomaly for SICK_CALLER at 30h");
        var i = r.Injections.Single();
        var row = r.Evidence.Rows.First(x => x.At > ConversationStart.AddHours(30));
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(i.FirstBreachChecks, Does.Contain("watch_anomalies"));
            Assert.That(i.TimeToRollback, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(2)));
            Assert.That(row.Notes, Does.Match(@"\[V2-ANOMALY\] 1 v2 run reported an anomaly, the first at 2026-02-02T06:0\d:\d\dZ \(SICK_CALLER\)"));
            Assert.That(row.Notes, Does.Contain("[STARTUP] Kill switch active: True"));
            Assert.That(row.Decision, Is.EqualTo(EvidenceDecision.HoldShadow));
            Assert.That(r.Audit.Where(e => e.Type == "notification"), Is.Empty, "the plan does not run the rollback procedure");
            var anomaly = r.AppLog.ToList().FindIndex(l => l.Contains(" [V2-ANOMALY] 1 v2 run reported an anomaly", StringComparison.Ordinal));
            Assert.That(anomaly, Is.GreaterThan(0));
            Assert.That(r.AppLog.Skip(anomaly - 3).Take(6), Has.Some.Match(@"^2026-02-02T\d\d:00:00Z \[STARTUP\] Kill switch active: True$"), "the restart with the kill switch on is logged in the same window");
        });
    }

    [Test]
    public void A_moltbot_rollback_clears_the_rate_limiter_state_then_notifies_on_call_audited_and_in_the_evidence()
    {
        var r = Simulate("moltbot-playbook.yaml", null, "v2.critical_error at day 8");
        var steps = r.Audit.Where(e => e.Type == "notification").ToList();
        var rollback = r.SettingsHistory.Single(c => c.Actor == "auto");
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(r.Injections.Single().FirstBreachChecks, Is.EqualTo(new[] { "critical_errors_48h" }));
            Assert.That(steps.Select(e => e.Data), Is.EqualTo(new[]
            {
                $$"""{"step":"clear_rate_limiter_state","event":"clear_rate_limiter_state","version":{{rollback.Version}},"delivered":true,"error":null}""",
                $$"""{"step":"notify_on_call","event":"rollback","version":{{rollback.Version}},"delivered":true,"error":null}""",
            }));
            Assert.That(steps.Select(e => e.At), Has.All.EqualTo(rollback.At));
            Assert.That(string.Join("\n", r.Evidence.Rows.Select(x => x.Notes)), Does.Contain(
                $"rollback procedure after the rollback (v{rollback.Version}): clear rate limiter state, then notify on call (2 notifications sent: clear_rate_limiter_state, rollback)"));
        });
    }

    [Test]
    public void A_plan_policy_that_cannot_be_read_is_a_plan_error_naming_the_field()
    {
        var plan = PlanFile.Load(Path.Combine(PlanLoaderTests.PlansDir, "conversation-v2-watch.yaml")).Plan with { Policy = "../policies/nope.json" };
        var ex = Assert.Throws<PlanValidationException>(() => _ = new RolloutSimulator(plan, new SimulationOptions { ArtifactBase = PlanLoaderTests.PlansDir }))!;
        Assert.That(ex.Errors.Single().ToString(), Does.Contain("conversation-v2-watch.yaml: policy: cannot read the policy file").And.Contain("nope.json"));
    }

    [Test]
    public void Policy_and_rollback_triggers_together_metric_shapes_and_fixed_names_are_refused()
    {
        const string Head = """
            name: p
            duration: 2d
            stages:
              - { name: shadow, percent: 0, min_hold: 1h }
            """;
        var both = Assert.Throws<PlanValidationException>(() => PlanLoader.Parse(Head + "\npolicy: x.json\nrollback_triggers:\n  - { check: error_rate, threshold: 0.05 }\n", "p.yaml"))!;
        Assert.That(both.Errors.Single().ToString(), Does.Contain("policy: a plan takes its detector policy from 'policy' or from 'rollback_triggers', not both"));
        var share = Assert.Throws<PlanValidationException>(() => PlanLoader.Parse(Head + "\ntraffic:\n  metrics:\n    llm_call: { share: 1.5 }\n", "p.yaml"))!;
        Assert.That(share.Errors.Single().Path, Is.EqualTo("traffic.metrics.llm_call.share"));
        var unknown = Assert.Throws<PlanValidationException>(() => PlanLoader.Parse(Head + "\ntraffic:\n  metrics:\n    llm_call: { rate: 0.1 }\n", "p.yaml"))!;
        Assert.That(unknown.Errors.Single().Path, Is.EqualTo("traffic.metrics.llm_call.rate"));
        Assert.Throws<PlanValidationException>(() => PlanLoader.Parse(Head + "\ntraffic:\n  metrics:\n    tokens: { value: 10 }\n", "p.yaml"), "tokens is a field of every run");
        var ok = PlanLoader.Parse(Head + "\ntraffic:\n  metrics:\n    staff_response_ms: { value: 1200, sd: 150 }\n  v2: { metrics: { staff_response_ms: { value: 1300 } } }\n", "p.yaml").Plan;
        Assert.That(ok.Traffic.MetricsOf(ok.Traffic.V2)["staff_response_ms"], Is.EqualTo(new PlanMetric { Value = 1300 }));
        Assert.That(ok.Traffic.MetricsOf(ok.Traffic.V1)["staff_response_ms"], Is.EqualTo(new PlanMetric { Value = 1200, Sd = 150 }));
    }

    [Test]
    public void The_coder_vp_plan_holds_broadened_traffic_and_reverts_only_on_a_sustained_mission_failed_pattern()
    {
        var start = new DateTimeOffset(2026, 2, 16, 0, 0, 0, TimeSpan.Zero);
        var healthy = Simulate("coder-vp-evidence.yaml");
        var single = Simulate("coder-vp-evidence.yaml", null, "v2.mission_failed at 50h");
        var pattern = Simulate("coder-vp-evidence.yaml", null, "v2.mission_failed=40% at 50h for 1h");
        Assert.Multiple(() =>
        {
            Assert.That((healthy.Outcome, healthy.Report.FinalPercent), Is.EqualTo((SimulationOutcome.InProgress, 25.0)));
            Assert.That(single.Injections.Single().FirstBreachAt, Is.Null, "a single failure is not a pattern");
            Assert.That(single.Outcome, Is.EqualTo(SimulationOutcome.InProgress));
            Assert.That(pattern.Outcome, Is.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(pattern.Injections.Single().FirstBreachChecks, Is.EqualTo(new[] { "mission_failed_pattern" }));
            Assert.That(pattern.Injections.Single().RollbackAt, Is.EqualTo(start.AddHours(50).AddMinutes(15)), "breached for 10 minutes, then reverted");
        });
    }

    [Test]
    public void A_stalled_coder_vp_pipeline_is_blocked_and_a_reverted_one_is_not()
    {
        var start = new DateTimeOffset(2026, 2, 16, 0, 0, 0, TimeSpan.Zero);
        var stalled = Simulate("coder-vp-evidence.yaml", null, "v2.stall at 48h for 12h");
        var stuck = Simulate("coder-vp-evidence.yaml", null, "v2.stuck_after_cancel at 50h");
        Assert.Multiple(() =>
        {
            Assert.That(stalled.Evidence.Rows.Where(x => x.Decision == EvidenceDecision.BlockedExecutionPipeline).Select(x => x.At),
                Is.EqualTo(new[] { start.AddHours(54), start.AddHours(60) }));
            Assert.That(stuck.Injections.Single().FirstBreachChecks, Is.EqualTo(new[] { "cancel_recovery" }));
            Assert.That(stuck.Outcome, Is.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(stuck.Evidence.Rows.Select(x => x.Decision), Does.Not.Contain(EvidenceDecision.BlockedExecutionPipeline).And.Contain(EvidenceDecision.HoldShadow));
        });
    }
}
