using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;
using CanarySim.Reports;
using CanarySim.Core.Reporting;

namespace CanarySim.Core.Tests.Rollout;

/// <summary>
/// Whole simulations through the real router, detector, rollback controller and release gate. Plans
/// are small (two days, 100 000 requests) so each runs in about a second.
/// </summary>
public sealed class RolloutSimulatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 16, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A 20 % canary for two days; faults are injected after one day.</summary>
    private const string CanaryPlan = """
        schema: canarysim.plan/v1
        name: canary20
        start: 2026-02-16T00:00:00Z
        duration: 2d
        evidence: { window: 6h }
        traffic: { requests: 100000, profile: steady, sessions: 20000 }
        progression: { healthy_evaluations: 10 }
        stages:
          - { name: shadow, kind: shadow, percent: 0, min_hold: 2h }
          - { name: canary-20, kind: progressive, percent: 20, min_hold: 7d }
        """;

    private static SimulationResult Simulate(string yaml = CanaryPlan, int seed = 7, params string[] inject) =>
        new RolloutSimulator(PlanLoader.Parse(yaml, "test.yaml").Plan, new SimulationOptions
        {
            Seed = seed,
            Injections = FaultInjectionParser.ParseAll(inject, Start),
            ArtifactBase = PlanLoaderTests.PlansDir,
        }).Run();

    [Test]
    public void A_healthy_canary_is_promoted_and_never_rolled_back()
    {
        var r = Simulate();
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.EqualTo(SimulationOutcome.InProgress));
            Assert.That(r.Report.FinalStage, Is.EqualTo("canary-20"));
            Assert.That(r.Report.FinalPercent, Is.EqualTo(20));
            Assert.That(r.Requests, Is.EqualTo(100_000));
            Assert.That((double)r.V2Served / r.Requests, Is.InRange(0.13, 0.20), "about 20 % of the last 46 h");
            Assert.That(r.SettingsHistory.Select(c => c.Kind), Does.Not.Contain(SettingsChangeKind.Rollback));
            Assert.That(r.Evidence.Rows[0].Decision, Is.EqualTo(EvidenceDecision.StartShadowWindow));
            Assert.That(r.Evidence.Rows.Skip(2).Select(x => x.Decision), Is.All.EqualTo(EvidenceDecision.GoBroaderTrafficActive));
            Assert.That(r.Ok, Is.True);
        });
    }

    // The evidence log's fallback rate is v2's failure rate: in shadow, the failed shadows (the fallbacks that would
    // have happened) over the shadowed runs; a window in which v2 ran nothing has no rate and no p95.
    [Test]
    public void A_shadow_windows_fallback_rate_counts_its_failed_shadows_and_a_window_without_v2_runs_has_none()
    {
        var r = Simulate(inject: "v2.errors=30% at 1h for 4h");
        var shadow = r.Evidence.Rows[1];
        var counts = System.Text.RegularExpressions.Regex.Match(shadow.Notes, @"v2 runs ([\d,]+), fallbacks 0, failed shadows ([\d,]+)");
        Assert.That(counts.Success, Is.True, shadow.Notes);
        var runs = long.Parse(counts.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        var failed = long.Parse(counts.Groups[2].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        var withoutV2 = r.Evidence.Rows.Skip(1).Where(x => x.Notes.StartsWith("detector: ", StringComparison.Ordinal) && x.Notes.Contains("v2 runs 0,", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(shadow.Window, Is.EqualTo("Shadow window #1"));
            Assert.That(shadow.V2Requests, Is.EqualTo(runs), "failed shadows are still v2 traffic");
            Assert.That(failed, Is.GreaterThan(10), "the injected errors failed shadows before the detector rolled back");
            Assert.That(shadow.FallbackRate, Is.EqualTo((double)failed / runs), "failed shadows over shadowed runs");
            Assert.That(withoutV2, Is.Not.Empty, "the rollback (kill switch) leaves windows without v2 runs");
            Assert.That(withoutV2.Select(x => (x.FallbackRate, x.P95LatencyMs)), Is.All.EqualTo(((double?)null, (double?)null)));
        });
    }

    [Test]
    public void Same_seed_and_plan_give_byte_identical_outputs()
    {
        var a = Simulate(inject: "v2.latency+80% at day 1");
        var b = Simulate(inject: "v2.latency+80% at day 1");
        Assert.Multiple(() =>
        {
            Assert.That(b.Evidence.ToMarkdown(), Is.EqualTo(a.Evidence.ToMarkdown()));
            Assert.That(b.Evidence.ToJson(), Is.EqualTo(a.Evidence.ToJson()));
            Assert.That(Reports.SimulationReportWriter.Render(b.Report), Is.EqualTo(Reports.SimulationReportWriter.Render(a.Report)));
            Assert.That(b.AuditJsonl(), Is.EqualTo(a.AuditJsonl()));
        });
        var other = Simulate(seed: 8, inject: "v2.latency+80% at day 1");
        Assert.That(other.Evidence.ToMarkdown(), Is.Not.EqualTo(a.Evidence.ToMarkdown()), "the seed matters");
    }

    [Test]
    public void Drawing_on_two_threads_gives_the_same_outputs_as_on_one()
    {
        var plan = PlanLoader.Parse(CanaryPlan, "test.yaml").Plan;
        SimulationResult Run(bool parallel) => new RolloutSimulator(plan, new SimulationOptions
        {
            Seed = 11,
            Requests = 400_000, // about 140 requests per interval: both halves of every interval are drawn in parallel
            Injections = FaultInjectionParser.ParseAll(["v2.errors=30% at day 1 for 30m", "v2.policy_violation at day 1"], Start),
            ArtifactBase = PlanLoaderTests.PlansDir,
            ParallelDraws = parallel,
        }).Run();
        var one = Run(parallel: false);
        var two = Run(parallel: true);
        Assert.Multiple(() =>
        {
            Assert.That(two.Evidence.ToMarkdown(), Is.EqualTo(one.Evidence.ToMarkdown()));
            Assert.That(two.AuditJsonl(), Is.EqualTo(one.AuditJsonl()));
            Assert.That(Reports.SimulationReportWriter.Render(two.Report), Is.EqualTo(Reports.SimulationReportWriter.Render(one.Report)));
        });
    }

    // Each fault, the detector check expected to breach first, and how long the rollback may take.
    [TestCase("v2.latency+80% at day 1", "latency", 60)]
    [TestCase("v2.timeouts=20% at day 1", "fallback_rate", 30)]
    [TestCase("v2.errors=30% at day 1", "fallback_rate", 30)]
    [TestCase("fallbacks=40% at day 1", "fallback_rate", 30)]
    [TestCase("v2.cost x4 at day 1", "cost", 60)]
    [TestCase("v2.quality-12 at day 1", "quality", 60)]
    [TestCase("v2.policy_violation at day 1", "policy_violation", 2)]
    public void Each_injected_regression_is_caught_by_its_trigger_in_time(string fault, string check, int maxMinutes)
    {
        var r = Simulate(inject: fault);
        var i = r.Injections.Single();
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(i.FirstBreachChecks, Does.Contain(check));
            Assert.That(i.RollbackAt, Is.Not.Null);
            Assert.That(i.TimeToRollback, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(maxMinutes)));
            Assert.That(i.RollbackAt, Is.GreaterThanOrEqualTo(Start.AddDays(1)), "never before the fault");
            Assert.That(r.Report.FinalPercent, Is.Zero);
            Assert.That(r.SettingsHistory.Last().After.KillSwitch, Is.True);
            Assert.That(r.SettingsHistory.Last().Actor, Is.EqualTo("auto"));
            Assert.That(r.Evidence.Rows.Select(x => x.Decision), Does.Contain(EvidenceDecision.HoldShadow).And.Not.Contain(EvidenceDecision.BlockedExecutionPipeline),
                "reverted to v1; a rollback is not a stalled pipeline");
            Assert.That(r.Ok, Is.True, "a rollback caused by an injected fault is the safety net working");
        });
    }

    [TestCase("v2.latency+20% at day 1")]
    [TestCase("v2.cost x1.4 at day 1")]
    [TestCase("v2.quality-3 at day 1")]
    [TestCase("complaints=5/h at day 1 for 2h")]
    public void A_regression_under_every_threshold_is_never_rolled_back(string fault)
    {
        var r = Simulate(inject: fault);
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.Not.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(r.Injections.Single().RollbackAt, Is.Null);
            Assert.That(r.SettingsHistory.Select(c => c.Kind), Does.Not.Contain(SettingsChangeKind.Rollback));
            Assert.That(r.Report.FinalPercent, Is.EqualTo(20));
        });
    }

    [Test]
    public void A_complaint_burst_asks_for_manual_review_without_rolling_back()
    {
        var r = Simulate(inject: "complaints=30/h at day 1 for 2h");
        Assert.Multiple(() =>
        {
            Assert.That(r.Injections.Single().Action, Is.EqualTo("manual_review"));
            Assert.That(r.Injections.Single().FirstBreachChecks, Does.Contain("complaints"));
            Assert.That(r.Outcome, Is.Not.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(r.SettingsHistory.Select(c => c.Kind), Does.Contain(SettingsChangeKind.ManualReview));
        });
    }

    [Test]
    public void A_short_metrics_auth_outage_is_blocked_auth_and_a_long_one_rolls_back_on_the_metric_source()
    {
        var brief = Simulate(inject: "metrics.auth at day 1 for 3m");
        Assert.That(brief.Evidence.Rows.Select(x => x.Decision), Does.Contain(EvidenceDecision.BlockedAuth));
        Assert.That(brief.Outcome, Is.Not.EqualTo(SimulationOutcome.RolledBack), "3 error measurements stay within the consecutive-error limit of 4");

        var long_ = Simulate(inject: "metrics.auth at day 1 for 1h");
        Assert.That(long_.Outcome, Is.EqualTo(SimulationOutcome.RolledBack));
        Assert.That(long_.SettingsHistory.Last().Reason, Does.Contain("metric_source"));
    }

    [Test]
    public void Staged_rollback_halves_before_going_to_zero()
    {
        var plan = CanaryPlan.Replace("progression: { healthy_evaluations: 10 }", "progression: { healthy_evaluations: 10, staged_rollback: true }");
        var r = Simulate(plan, inject: "v2.quality-12 at day 1");
        var kinds = r.SettingsHistory.Where(c => c.Actor == "auto").Select(c => (c.Kind, c.After.CanaryPct)).ToList();
        Assert.That(kinds, Is.EqualTo(new[] { (SettingsChangeKind.StagedRollback, 10.0), (SettingsChangeKind.Rollback, 0.0) }));
    }

    [Test]
    public void Moltbot_cost_spike_pauses_and_latency_sustained_reduces_traffic()
    {
        var plan = CanaryPlan + "\n" + """
            rollback_triggers:
              - { check: latency, threshold: 100000 }
              - { check: cost, threshold: 100 }
              - { check: cost_spike, threshold: 3, action: pause }
              - { check: latency_sustained, threshold: 5000, sustained: 10m, action: reduce_traffic }
            """;
        var spike = Simulate(plan, inject: "v2.cost x4 at day 1 for 2h");
        Assert.That(spike.SettingsHistory.Select(c => c.Kind), Does.Contain(SettingsChangeKind.Pause));
        Assert.That(spike.Outcome, Is.Not.EqualTo(SimulationOutcome.RolledBack));

        var slow = Simulate(plan, inject: "v2.latency*6 at day 1 for 2h");
        var reduce = slow.SettingsHistory.First(c => c.Kind == SettingsChangeKind.ReduceTraffic);
        Assert.That((reduce.Before.CanaryPct, reduce.After.CanaryPct), Is.EqualTo((20.0, 10.0)));
        Assert.That(reduce.At - Start.AddDays(1), Is.GreaterThanOrEqualTo(TimeSpan.FromMinutes(10)), "sustained 10 minutes first");
        Assert.That(slow.SettingsHistory.Last(c => c.Actor == "simulated-operator").After.CanaryPct, Is.EqualTo(20), "restored once healthy");
    }

    [Test]
    public void Phase8_plan_runs_its_release_gates_and_the_rehearsal_before_100_percent()
    {
        var plan = PlanFile.Load(Path.Combine(PlanLoaderTests.PlansDir, "phase8-stages.yaml")).Plan;
        var r = new RolloutSimulator(plan, new SimulationOptions { Seed = 42, Requests = 60_000, ArtifactBase = PlanLoaderTests.PlansDir }).Run();
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.EqualTo(SimulationOutcome.Completed));
            Assert.That(r.GateReports.Select(g => g.Stage), Is.EqualTo(new[] { 10, 25, 50, 100 }));
            Assert.That(r.GateReports, Has.All.Matches<Core.Gating.GateReport>(g => g.OverallGo));
            Assert.That(r.Report.Gates.Select(g => g.Gate), Has.Some.StartsWith("rollback rehearsal"));
            var rehearsal = r.SettingsHistory.Where(c => c.Actor == "rollback-rehearsal").ToList();
            Assert.That(rehearsal, Has.Count.EqualTo(2));
            Assert.That(rehearsal[0].After.KillSwitch, Is.True, "engine set to v1 for the smoke scenarios");
            Assert.That(rehearsal[1].After.CanaryPct, Is.EqualTo(50), "previous stage restored after the pass");
            Assert.That(r.SettingsHistory.Last().After.CanaryPct, Is.EqualTo(100));
        });
    }

    [Test]
    public void A_release_gate_no_go_rolls_back()
    {
        var plan = PlanFile.Load(Path.Combine(PlanLoaderTests.PlansDir, "phase8-stages.yaml")).Plan;
        var stages = plan.Stages.ToList();
        var gate = stages[3].Gates[1] with { Artifacts = ["../uat/stages/stage50_write_safety_raw1.json", "../uat/stages/stage50_write_safety_raw2.json"] };
        stages[3] = stages[3] with { Gates = [stages[3].Gates[0], gate, stages[3].Gates[2]] };
        var r = new RolloutSimulator(plan with { Stages = stages }, new SimulationOptions { Seed = 42, Requests = 60_000, ArtifactBase = PlanLoaderTests.PlansDir }).Run();
        Assert.Multiple(() =>
        {
            Assert.That(r.Outcome, Is.EqualTo(SimulationOutcome.RolledBack));
            Assert.That(r.GateReports.Last().OverallGo, Is.False);
            Assert.That(r.SettingsHistory.Last().Actor, Is.EqualTo("rollout"));
            Assert.That(r.SettingsHistory.Last().Reason, Does.Contain("write_safety"));
            Assert.That(r.Report.FinalStage, Is.EqualTo("stage-50"));
        });
    }

    [Test]
    public void A_trigger_naming_another_action_than_the_detector_is_a_plan_error()
    {
        var plan = PlanLoader.Parse(CanaryPlan + "\nrollback_triggers:\n  - { check: latency, threshold: 1600, action: pause }\n", "test.yaml").Plan;
        var ex = Assert.Throws<PlanValidationException>(() => _ = new RolloutSimulator(plan))!;
        Assert.That(ex.Errors.Single().Message, Does.Contain("the detector's action for 'latency' is 'rollback'"));
        Assert.That(ex.Errors.Single().Line, Is.EqualTo(12));
    }

    [Test]
    public void Rollup_of_a_simulation_audit_log_counts_every_request()
    {
        var r = Simulate();
        var log = new Core.Audit.InMemoryAuditLog();
        foreach (var e in r.Audit)
        {
            log.Append(e);
        }
        var rollup = Core.Reporting.WeeklyRollup.Build(log, Start, Start.AddDays(7));
        Assert.Multiple(() =>
        {
            Assert.That(rollup.TotalRuns, Is.EqualTo(r.Requests));
            Assert.That(rollup.Compared, Is.GreaterThan(1000), "every shadowed request was diffed");
            Assert.That(rollup.AgentChangeRate, Is.InRange(0.05, 0.11), "v2 diverges on about 8 % of decisions");
        });
    }
}
