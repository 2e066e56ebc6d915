using CanarySim.Core.Detection;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Tests.Rollout;

public sealed class EvidenceWindowTests
{
    private static readonly DateTimeOffset At = new(2026, 2, 16, 14, 6, 29, TimeSpan.Zero);
    private static readonly RouterSettings Shadow = new() { Mode = RouterMode.Shadow };
    private static readonly RouterSettings Canary = new() { Mode = RouterMode.Canary, CanaryPct = 5 };

    [Test]
    public void Shadow_window_with_an_injected_failure_holds_the_shadow()
    {
        var w = new EvidenceWindow("Shadow window #2", StageKind.Shadow);
        for (var i = 0; i < 3; i++)
        {
            w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "ok", shadowMs: 300 + i));
        }
        w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "exception", shadowMs: 534));
        var row = w.Close(At, Shadow, "4 missions");
        Assert.Multiple(() =>
        {
            Assert.That(row.Decision, Is.EqualTo(EvidenceDecision.HoldShadow));
            Assert.That(EvidenceLog.FormatRate(row.FallbackRate), Is.EqualTo("0.250"));
            Assert.That(EvidenceLog.FormatP95(row.P95LatencyMs), Is.EqualTo("0.534s"), "nearest rank of 4 is the 4th");
            Assert.That(row.Notes, Does.Contain("v2_failures=1 (exception 1)"));
        });
    }

    [Test]
    public void Clean_shadow_window_with_traffic_is_ready_for_a_limited_cohort()
    {
        var w = new EvidenceWindow("Shadow window #3", StageKind.Shadow);
        w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "ok", shadowMs: 377));
        Assert.That(w.Close(At, Shadow, "").Decision, Is.EqualTo(EvidenceDecision.ReadyForLimitedCohortPilot));
    }

    [Test]
    public void Shadow_window_without_v2_traffic_holds_with_a_zero_rate_and_no_p95()
    {
        var w = new EvidenceWindow("Shadow baseline #1", StageKind.Shadow);
        w.Record(RolloutTestRig.Run(Engine.V1));
        var row = w.Close(At, Shadow, "");
        Assert.That((row.Decision, row.FallbackRate, row.P95LatencyMs), Is.EqualTo((EvidenceDecision.HoldShadow, (double?)0.0, (double?)null)));
    }

    [Test]
    public void A_rate_exactly_at_the_threshold_still_meets_the_shadow_exit()
    {
        var w = new EvidenceWindow("Shadow", StageKind.Shadow);
        for (var i = 0; i < 9; i++)
        {
            w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "ok", shadowMs: 100));
        }
        w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "timeout", shadowMs: 1600));
        Assert.That(w.Close(At, Shadow, "").Decision, Is.EqualTo(EvidenceDecision.ReadyForLimitedCohortPilot), "0.10 is not above 0.10; p95 1600 is not above 1600");
    }

    [Test]
    public void Canary_fallbacks_covered_by_v1_are_partial_recoveries_and_a_kill_switch_holds_shadow()
    {
        var w = new EvidenceWindow("Limited cohort #2", StageKind.Canary);
        w.Record(RolloutTestRig.Run(Engine.V2));
        w.Record(RolloutTestRig.Run(Engine.V1, fallback: true, latencyMs: 700, servedMs: 200));
        Assert.Multiple(() =>
        {
            Assert.That(w.Close(At, Canary, "").Decision, Is.EqualTo(EvidenceDecision.PartialTimeoutRecovered));
            Assert.That(w.P95LatencyMs, Is.EqualTo(500), "the failed attempt's own time");
            Assert.That(w.Close(At, Canary with { KillSwitch = true }, "").Decision, Is.EqualTo(EvidenceDecision.HoldShadow), "a rollback is not a blocked pipeline");
        });
    }

    [Test]
    public void A_window_whose_every_v2_run_timed_out_is_a_stalled_pipeline_and_one_completion_is_a_recovery()
    {
        var w = new EvidenceWindow("Limited cohort #1 (execution probe)", StageKind.Canary);
        w.Record(RolloutTestRig.Run(Engine.V1, fallback: true) with { FallbackReason = "timeout" });
        w.Record(RolloutTestRig.Run(Engine.V1, fallback: true) with { FallbackReason = "timeout" });
        Assert.That(w.Close(At, Canary, "").Decision, Is.EqualTo(EvidenceDecision.BlockedExecutionPipeline));
        w.Record(RolloutTestRig.Run(Engine.V2));
        Assert.That(w.Close(At, Canary, "").Decision, Is.EqualTo(EvidenceDecision.PartialTimeoutRecovered));
        var other = new EvidenceWindow("Limited cohort #2", StageKind.Canary);
        other.Record(RolloutTestRig.Run(Engine.V1, fallback: true));
        Assert.That(other.Close(At, Canary, "").Decision, Is.EqualTo(EvidenceDecision.PartialTimeoutRecovered), "failures that are not timeouts are not a stall");
    }

    [Test]
    public void Progressive_window_is_broader_traffic_and_blocked_metrics_are_blocked_auth()
    {
        var w = new EvidenceWindow("Broadened #1", StageKind.Progressive);
        w.Record(RolloutTestRig.Run(Engine.V2));
        Assert.That(w.Close(At, Canary, "").Decision, Is.EqualTo(EvidenceDecision.GoBroaderTrafficActive));
        w.MarkMetricsBlocked();
        var row = w.Close(At, Canary, "");
        Assert.That((row.Decision, row.FallbackRate), Is.EqualTo((EvidenceDecision.BlockedAuth, (double?)null)));
    }

    [Test]
    public void Thresholds_come_from_the_detector_policy()
    {
        var w = new EvidenceWindow("Shadow", StageKind.Shadow, new DetectorOptions { LatencyP95MaxMs = 200 });
        w.Record(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "ok", shadowMs: 377));
        Assert.That(w.Close(At, Shadow, "").Decision, Is.EqualTo(EvidenceDecision.HoldShadow));
    }
}
