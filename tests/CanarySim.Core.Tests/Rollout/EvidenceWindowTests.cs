using CanarySim.Core.Detection;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;
using FsCheck;
using FsCheck.Fluent;

namespace CanarySim.Core.Tests.Rollout;

public sealed class EvidenceWindowTests
{
    private static readonly DateTimeOffset At = new(2026, 2, 16, 14, 6, 29, TimeSpan.Zero);
    private static readonly RouterSettings Shadow = new() { Mode = RouterMode.Shadow };
    private static readonly RouterSettings Canary = new() { Mode = RouterMode.Canary, CanaryPct = 5 };
    private const double Bound = 0.00502; // the histogram's documented bound: e^0.005 - 1, rounded up

    private static readonly ExitCriterion[] SeedExit =
    [
        new() { Metric = "fallback_rate", Op = "<=", Value = 0.10 },
        new() { Metric = "p95_latency_ms", Op = "<=", Value = 1600 },
    ];

    private static EvidenceRow Close(EvidenceWindow w, RouterSettings settings) => w.Close(At, "window", settings, "", w.Meets(SeedExit));

    [Test]
    public void Shadow_window_with_an_injected_failure_holds_the_shadow_and_counts_the_failed_shadow()
    {
        var w = new EvidenceWindow(StageKind.Shadow);
        for (var i = 0; i < 3; i++)
        {
            w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "ok", shadowMs: 300 + i));
        }
        w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "exception", shadowMs: 534));
        var row = Close(w, Shadow);
        Assert.Multiple(() =>
        {
            Assert.That(row.Decision, Is.EqualTo(EvidenceDecision.HoldShadow));
            Assert.That(EvidenceLog.FormatRate(row.FallbackRate), Is.EqualTo("0.250"), "a failed shadow is a v2 failure");
            Assert.That(row.P95LatencyMs!.Value / 534 - 1, Is.InRange(-Bound, Bound), "nearest rank of 4 is the 4th, read from its bin");
            Assert.That(row.Notes, Does.Contain("v2_failures=1 (exception 1)"));
            Assert.That((row.Requests, row.V2Requests), Is.EqualTo((4L, 4L)), "shadowed runs are v2 traffic, failed or not");
            Assert.That(w.Counts, Is.EqualTo(new EvidenceCounts(4, 4, 0, 1, 0, 0)));
        });
    }

    [Test]
    public void Clean_shadow_window_with_traffic_is_ready_for_a_limited_cohort()
    {
        var w = new EvidenceWindow(StageKind.Shadow);
        w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "ok", shadowMs: 377));
        Assert.That(Close(w, Shadow).Decision, Is.EqualTo(EvidenceDecision.ReadyForLimitedCohortPilot));
    }

    [Test]
    public void A_window_without_v2_runs_has_no_rate_and_no_p95_and_holds_the_shadow()
    {
        var w = new EvidenceWindow(StageKind.Shadow);
        w.Record(RolloutTestRig.Run(Engine.V1));
        var row = Close(w, Shadow);
        Assert.That((row.Decision, row.FallbackRate, row.P95LatencyMs, row.Requests), Is.EqualTo((EvidenceDecision.HoldShadow, (double?)null, (double?)null, 1L)));
        Assert.That(w.Meets(SeedExit), Is.False, "a missing figure never meets a criterion");
    }

    [Test]
    public void A_rate_exactly_at_the_threshold_still_meets_the_shadow_exit()
    {
        var w = new EvidenceWindow(StageKind.Shadow);
        for (var i = 0; i < 9; i++)
        {
            w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "ok", shadowMs: 100));
        }
        w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "timeout", shadowMs: 1500));
        Assert.That(Close(w, Shadow).Decision, Is.EqualTo(EvidenceDecision.ReadyForLimitedCohortPilot), "0.10 is not above 0.10");
        w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "timeout", shadowMs: 1500));
        Assert.That(Close(w, Shadow).Decision, Is.EqualTo(EvidenceDecision.HoldShadow), "2 of 11 is above 0.10");
    }

    [Test]
    public void The_exit_criteria_are_the_callers_reading_not_the_windows()
    {
        var w = new EvidenceWindow(StageKind.Shadow);
        w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "ok", shadowMs: 100));
        Assert.Multiple(() =>
        {
            Assert.That(EvidenceDecisions.Decide(w.Facts(rolledBack: false, exitCriteriaMet: false)), Is.EqualTo(EvidenceDecision.HoldShadow));
            Assert.That(EvidenceDecisions.Decide(w.Facts(rolledBack: false, exitCriteriaMet: true)), Is.EqualTo(EvidenceDecision.ReadyForLimitedCohortPilot));
            Assert.That(EvidenceDecisions.Decide(w.Facts(rolledBack: false, exitCriteriaMet: false, advanced: true)), Is.EqualTo(EvidenceDecision.ReadyForLimitedCohortPilot));
            Assert.That(w.Meets([new ExitCriterion { Metric = "p95_latency_ms", Op = "<", Value = 90 }]), Is.False);
        });
    }

    private sealed class PassingGates : IStageGateRunner
    {
        public GateOutcome Run(PlanGate gate, PlanStage stage, DateTimeOffset at) => new(gate, true, "yes");
    }

    [Test]
    public void In_a_rollout_the_exit_criteria_are_the_stage_machines_reading_at_the_windows_end()
    {
        PlanStage shadow = new()
        {
            Name = "shadow", Kind = StageKind.Shadow, Percent = 0, MinHold = TimeSpan.FromHours(1),
            ExitCriteria = [new ExitCriterion { Metric = "fallback_rate", Op = "<=", Value = 0.1 }],
        };
        PlanStage canary = new() { Name = "c5", Kind = StageKind.Canary, Percent = 5, MinHold = TimeSpan.FromHours(1) };
        var plan = new RolloutPlan { Name = "t", Duration = TimeSpan.FromDays(3), Progression = new ProgressionOptions { HealthyEvaluations = 1 }, Stages = [shadow, canary] };
        var machine = new RolloutStageMachine(plan, new PassingGates(), At);
        StageObservation Observe(int minute, double rate) =>
            new() { At = At.AddMinutes(minute), Verdict = VerdictOutcome.Pass, Metrics = new RolloutMetrics { FallbackRate = rate } };

        Assert.That(EvidenceWindow.ExitCriteriaHeld(machine, shadow, advanced: false), Is.False, "nothing observed yet");
        machine.Observe(Observe(1, 0.2));
        Assert.That(EvidenceWindow.ExitCriteriaHeld(machine, shadow, advanced: false), Is.False, "0.2 is above 0.1");
        machine.Observe(Observe(2, 0.05));
        Assert.Multiple(() =>
        {
            Assert.That(EvidenceWindow.ExitCriteriaHeld(machine, shadow, advanced: false), Is.True);
            Assert.That(EvidenceWindow.ExitCriteriaHeld(machine, canary, advanced: false), Is.False, "the machine's reading is of its current stage");
        });
        machine.Observe(Observe(60, 0.05));
        Assert.Multiple(() =>
        {
            Assert.That(machine.Stage.Name, Is.EqualTo("c5"));
            Assert.That(EvidenceWindow.ExitCriteriaHeld(machine, shadow, advanced: true), Is.True, "the shadow advanced in its window");
            Assert.That(EvidenceWindow.ExitCriteriaHeld(machine, shadow, advanced: false), Is.False);
        });
    }

    [Test]
    public void Canary_fallbacks_covered_by_v1_are_partial_recoveries_and_a_kill_switch_holds_shadow()
    {
        var w = new EvidenceWindow(StageKind.Canary);
        w.Record(RolloutTestRig.Run(Engine.V2));
        w.Record(RolloutTestRig.Run(Engine.V1, fallback: true, latencyMs: 700, servedMs: 200));
        Assert.Multiple(() =>
        {
            Assert.That(Close(w, Canary).Decision, Is.EqualTo(EvidenceDecision.PartialTimeoutRecovered));
            Assert.That(w.P95LatencyMs!.Value / 500 - 1, Is.InRange(-Bound, Bound), "the failed attempt's own time");
            Assert.That(Close(w, Canary).V2Requests, Is.EqualTo(1), "a fallback is not v2 traffic");
            Assert.That(Close(w, Canary with { KillSwitch = true }).Decision, Is.EqualTo(EvidenceDecision.HoldShadow), "a rollback is not a blocked pipeline");
        });
    }

    [Test]
    public void A_window_whose_every_v2_run_timed_out_is_a_stalled_pipeline_and_one_completion_is_a_recovery()
    {
        var w = new EvidenceWindow(StageKind.Canary);
        w.Record(RolloutTestRig.Run(Engine.V1, fallback: true) with { FallbackReason = "timeout" });
        w.Record(RolloutTestRig.Run(Engine.V1, fallback: true) with { FallbackReason = "timeout" });
        Assert.That(Close(w, Canary).Decision, Is.EqualTo(EvidenceDecision.BlockedExecutionPipeline));
        w.Record(RolloutTestRig.Run(Engine.V2));
        Assert.That(Close(w, Canary).Decision, Is.EqualTo(EvidenceDecision.PartialTimeoutRecovered));
        var other = new EvidenceWindow(StageKind.Canary);
        other.Record(RolloutTestRig.Run(Engine.V1, fallback: true));
        Assert.That(Close(other, Canary).Decision, Is.EqualTo(EvidenceDecision.PartialTimeoutRecovered), "failures that are not timeouts are not a stall");
    }

    [Test]
    public void Interval_counts_give_the_same_figures_as_the_same_runs_recorded_one_by_one()
    {
        var runs = new EvidenceWindow(StageKind.Shadow);
        var counts = new EvidenceWindow(StageKind.Shadow);
        double[] ms = [120, 340, 95, 2100, 610];
        string[] outcomes = ["ok", "timeout", "ok", "exception", "ok"];
        for (var i = 0; i < ms.Length; i++)
        {
            runs.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: outcomes[i], shadowMs: ms[i]));
            counts.AddV2LatencyBin(LatencyHistogram.BinOf(ms[i]));
        }
        counts.Add(new EvidenceCounts(2, 2, 0, 0, 0, 0));
        counts.Add(new EvidenceCounts(3, 3, 0, 2, 1, 0));
        Assert.Multiple(() =>
        {
            Assert.That(counts.Counts, Is.EqualTo(runs.Counts));
            Assert.That(counts.FallbackRate, Is.EqualTo(runs.FallbackRate).And.EqualTo(0.4));
            Assert.That(counts.P95LatencyMs, Is.EqualTo(runs.P95LatencyMs));
            Assert.That(counts.Close(At, "w", Shadow, "", false) with { Notes = "" }, Is.EqualTo(runs.Close(At, "w", Shadow, "", false) with { Notes = "" }));
        });
    }

    [Test]
    public void Stalled_requests_are_not_runs_and_a_window_of_only_stalls_is_blocked()
    {
        var w = new EvidenceWindow(StageKind.Canary);
        w.Add(new EvidenceCounts(100, 0, 0, 0, 0, 7));
        var facts = w.Facts(rolledBack: false, exitCriteriaMet: false);
        Assert.Multiple(() =>
        {
            Assert.That((facts.Stalled, facts.TrafficBearing, w.FallbackRate), Is.EqualTo((true, false, (double?)null)));
            Assert.That(EvidenceDecisions.Decide(facts), Is.EqualTo(EvidenceDecision.BlockedExecutionPipeline));
        });
        w.Add(new EvidenceCounts(10, 3, 0, 0, 0, 0));
        Assert.That(w.Stalled, Is.False, "a run completed");
    }

    [Test]
    public void Progressive_window_is_broader_traffic_and_blocked_metrics_are_blocked_auth_with_the_windows_own_figures()
    {
        var w = new EvidenceWindow(StageKind.Progressive);
        w.Record(RolloutTestRig.Run(Engine.V2));
        Assert.That(Close(w, Canary).Decision, Is.EqualTo(EvidenceDecision.GoBroaderTrafficActive));
        w.MarkMetricsBlocked();
        var row = Close(w, Canary);
        Assert.That((row.Decision, row.FallbackRate), Is.EqualTo((EvidenceDecision.BlockedAuth, (double?)0.0)), "the router's own counts are still known");
    }

    [Test]
    public void A_failure_v1_covered_in_front_of_users_is_a_partial_recovery_and_reset_forgets_everything()
    {
        var w = new EvidenceWindow(StageKind.Canary);
        w.Record(RolloutTestRig.Run(Engine.V2));
        Assert.That(Close(w, Canary).Decision, Is.EqualTo(EvidenceDecision.ReadyForLimitedCohortPilot));
        w.Record(RolloutTestRig.Run(Engine.V1, fallback: true));
        Assert.That((w.Disturbed, Close(w, Canary).Decision), Is.EqualTo((true, EvidenceDecision.PartialTimeoutRecovered)), "no baseline: any failure is news");
        w.Evaluated(VerdictOutcome.Fail);
        w.MarkMetricsBlocked();
        Assert.That(Close(w, Canary).Decision, Is.EqualTo(EvidenceDecision.BlockedAuth));
        w.Reset(StageKind.Progressive);
        Assert.Multiple(() =>
        {
            Assert.That((w.Stage, w.Counts, w.Disturbed, w.MetricsBlocked, w.P95LatencyMs, w.FailureReasons, w.Evaluations, w.Passes),
                Is.EqualTo((StageKind.Progressive, default(EvidenceCounts), false, false, (double?)null, "none", 0L, 0L)));
        });
        w.Record(RolloutTestRig.Run(Engine.V2));
        Assert.That(Close(w, Canary).Decision, Is.EqualTo(EvidenceDecision.GoBroaderTrafficActive));
    }

    [TestCase(VerdictOutcome.Fail, true)]
    [TestCase(VerdictOutcome.Inconclusive, true)]
    [TestCase(VerdictOutcome.Pass, false)]
    [TestCase(VerdictOutcome.InsufficientData, false)]
    public void A_detector_evaluation_that_did_not_pass_disturbs_a_user_facing_window(VerdictOutcome outcome, bool disturbed)
    {
        var w = new EvidenceWindow(StageKind.Canary);
        w.Record(RolloutTestRig.Run(Engine.V2));
        w.Evaluated(VerdictOutcome.Pass);
        w.Evaluated(outcome);
        w.Evaluated(null);
        Assert.That((w.Disturbed, w.Evaluations, w.Passes), Is.EqualTo((disturbed, 3L, outcome == VerdictOutcome.Pass ? 2L : 1L)));
    }

    [Test]
    public void A_shadow_window_is_never_disturbed_v1_answered_every_request()
    {
        var w = new EvidenceWindow(StageKind.Shadow);
        w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "ok", shadowMs: 300));
        w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "exception", shadowMs: 300));
        w.Evaluated(VerdictOutcome.Fail);
        Assert.That((w.Disturbed, Close(w, Shadow).Decision), Is.EqualTo((false, EvidenceDecision.HoldShadow)));
    }

    /// <summary>
    /// Fed per interval at a 0.3 % baseline: 10,000 v2 runs expect 30 failures (sd 5.47), so up to 46 are the baseline
    /// and 47 are more than it explains. The same rule as run by run, where a zero baseline makes one failure news.
    /// </summary>
    [TestCase(0, false)]
    [TestCase(46, false)]
    [TestCase(47, true)]
    public void Per_interval_failures_disturb_the_window_only_beyond_the_baseline(int failures, bool disturbed)
    {
        var w = new EvidenceWindow(StageKind.Progressive, v2BaselineFailureRate: 0.003);
        w.Add(new EvidenceCounts(40_000, 6_000, 0, 0, 0, 0));
        w.Add(new EvidenceCounts(40_000, 4_000, failures, 0, 0, 0));
        Assert.That(w.Disturbed, Is.EqualTo(disturbed));
    }

    [Test]
    public void Stalled_requests_count_as_failures_v1_covered()
    {
        var w = new EvidenceWindow(StageKind.Canary, v2BaselineFailureRate: 0.003);
        w.Add(new EvidenceCounts(10_000, 1_000, 3, 0, 0, 0));
        Assert.That(w.Disturbed, Is.False);
        w.Add(new EvidenceCounts(100, 0, 0, 0, 0, 10));
        Assert.That(w.Disturbed, Is.True, "3 failures and 10 stalls of 1,010 against a bound of 8.2: stalls are failures too");
    }

    [TestCase(-0.1)]
    [TestCase(1.0)]
    [TestCase(double.NaN)]
    public void A_baseline_failure_rate_outside_0_to_1_is_refused(double rate) =>
        Assert.That(() => new EvidenceWindow(StageKind.Canary, rate), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void Windows_are_named_after_the_stage_that_served_them()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EvidenceWindow.Name(new PlanStage { Name = "shadow", Kind = StageKind.Shadow, Percent = 0 }, 2), Is.EqualTo("Shadow window #2"));
            Assert.That(EvidenceWindow.Name(new PlanStage { Name = "c5", Kind = StageKind.Canary, Percent = 5 }, 1), Is.EqualTo("Limited cohort 5 % window #1"));
            Assert.That(EvidenceWindow.Name(new PlanStage { Name = "p", Kind = StageKind.Progressive, Percent = 12.5 }, 3), Is.EqualTo("Broadened rollout 12.5 % window #3"));
            Assert.That(EvidenceWindow.Name(new PlanStage { Name = "c5", Kind = StageKind.Canary, Percent = 5 }, 4, postRollback: true), Is.EqualTo("Post-rollback window (c5)"));
        });
    }

    /// <summary>
    /// The window's p95 (and p50/p99) against the exact nearest rank of the same latencies, over seeded samples: a
    /// log-normal body with outliers anywhere from 0.1 ms to 10⁷ ms, 1 to 3,000 runs, fed run by run. Each figure
    /// is within the histogram's documented 0.502 % of the exact value.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property The_p95_is_within_its_bound_of_the_exact_nearest_rank() =>
        Prop.ForAll(Latencies.ToArbitrary(), latencies =>
        {
            var w = new EvidenceWindow(StageKind.Canary);
            foreach (var ms in latencies)
            {
                w.Record(RolloutTestRig.Run(Engine.V2, servedMs: ms));
            }
            var sorted = latencies.Select(ms => TimeSpan.FromMilliseconds(ms).TotalMilliseconds).Order().ToList();
            double Exact(int p) => sorted[WindowAggregates.NearestRank(p, sorted.Count) - 1];
            var f = w.Figures;
            return (Off(f.P95LatencyMs, Exact(95)) <= Bound && Off(f.P50LatencyMs, Exact(50)) <= Bound && Off(f.P99LatencyMs, Exact(99)) <= Bound)
                .Label($"{sorted.Count} runs: p95 {f.P95LatencyMs} vs exact {Exact(95)}, p50 {f.P50LatencyMs} vs {Exact(50)}, p99 {f.P99LatencyMs} vs {Exact(99)}");
        });

    private static double Off(double? approx, double exact) => approx is { } a ? Math.Abs(a / exact - 1) : double.PositiveInfinity;

    private static Gen<double[]> Latencies { get; } =
        from n in Gen.Choose(1, 3_000)
        from body in Gen.Choose(50, 5_000)
        from values in Gen.OneOf(
            Gen.Choose(-300, 300).Select(z => body * Math.Exp(z / 300.0)),
            Gen.Choose(-100, 700).Select(e => Math.Pow(10, e / 100.0))).ArrayOf(n)
        select values;
}
