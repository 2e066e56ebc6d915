using System.Text.Json;
using CanarySim.Core.Rollout;
using CanarySim.Reports;

namespace CanarySim.Core.Tests.Rollout;

public sealed class EvidenceLogTests
{
    private static readonly DateTimeOffset T = new(2026, 2, 16, 14, 3, 52, TimeSpan.Zero);

    [Test]
    public void Markdown_table_has_the_seed_columns_and_formats()
    {
        var log = new EvidenceLog("Phase A evidence", "CODER VP");
        log.Policy.Add("Start in shadow.");
        log.Add(new EvidenceRow { At = T, Window = "Shadow window #2", Scope = "4 missions | 1 injected", FallbackRate = 0.25, P95LatencyMs = 534, Decision = EvidenceDecision.HoldShadow, Notes = "fault\ninjected" });
        log.Add(new EvidenceRow { At = T.AddHours(1), Window = "Kickoff", Scope = "baseline", Decision = EvidenceDecision.StartShadowWindow });
        var md = log.ToMarkdown();
        Assert.Multiple(() =>
        {
            Assert.That(md, Does.Contain("| Date (UTC) | Window | Scope | Fallback rate | p95 latency | Decision | Notes |"));
            Assert.That(md, Does.Contain("|---|---|---|---:|---:|---|---|"));
            Assert.That(md, Does.Contain("| 2026-02-16T14:03:52Z | Shadow window #2 | 4 missions \\| 1 injected | 0.250 | 0.534s | HOLD_SHADOW | fault injected |"));
            Assert.That(md, Does.Contain("| n/a | n/a | START_SHADOW_WINDOW |"));
            Assert.That(md, Does.Contain("1. Start in shadow."));
            Assert.That(md, Does.Contain("- `HOLD_SHADOW`: 1 window"));
        });
    }

    [Test]
    public void Json_has_every_row_with_nulls_for_missing_figures()
    {
        var log = new EvidenceLog("t");
        log.Add(new EvidenceRow { At = T, Window = "w", Scope = "s", Decision = EvidenceDecision.BlockedAuth, Requests = 10 });
        using var doc = JsonDocument.Parse(log.ToJson());
        var row = doc.RootElement.GetProperty("rows")[0];
        Assert.Multiple(() =>
        {
            Assert.That(doc.RootElement.GetProperty("schema").GetString(), Is.EqualTo("canarysim.evidence-log/v1"));
            Assert.That(row.GetProperty("decision").GetString(), Is.EqualTo("BLOCKED_AUTH"));
            Assert.That(row.GetProperty("fallback_rate").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(row.GetProperty("at").GetString(), Is.EqualTo("2026-02-16T14:03:52Z"));
            Assert.That(row.GetProperty("requests").GetInt64(), Is.EqualTo(10));
        });
    }

    [Test]
    public void Decisions_outside_the_seed_vocabulary_are_refused() =>
        Assert.Throws<ArgumentException>(() => new EvidenceLog("t").Add(new EvidenceRow { At = T, Window = "w", Scope = "s", Decision = "PROMOTE" }));

    [TestCase(StageKind.Shadow, true, false, false, false, false, false, ExpectedResult = EvidenceDecision.StartShadowWindow)]
    [TestCase(StageKind.Canary, false, false, false, false, false, true, ExpectedResult = EvidenceDecision.BlockedExecutionPipeline)]
    [TestCase(StageKind.Canary, false, true, false, true, false, true, ExpectedResult = EvidenceDecision.BlockedExecutionPipeline)]
    [TestCase(StageKind.Canary, false, true, false, true, false, false, ExpectedResult = EvidenceDecision.HoldShadow)]
    [TestCase(StageKind.Progressive, false, true, false, false, true, false, ExpectedResult = EvidenceDecision.HoldShadow)]
    [TestCase(StageKind.Canary, false, true, true, true, false, false, ExpectedResult = EvidenceDecision.BlockedAuth)]
    [TestCase(StageKind.Canary, false, false, true, true, false, false, ExpectedResult = EvidenceDecision.BlockedAuth)]
    [TestCase(StageKind.Progressive, false, false, false, true, false, false, ExpectedResult = EvidenceDecision.PartialTimeoutRecovered)]
    [TestCase(StageKind.Shadow, false, false, false, false, false, false, ExpectedResult = EvidenceDecision.HoldShadow)]
    [TestCase(StageKind.Shadow, false, false, false, false, true, false, ExpectedResult = EvidenceDecision.ReadyForLimitedCohortPilot)]
    [TestCase(StageKind.Canary, false, false, false, false, false, false, ExpectedResult = EvidenceDecision.ReadyForLimitedCohortPilot)]
    [TestCase(StageKind.Progressive, false, false, false, false, false, false, ExpectedResult = EvidenceDecision.GoBroaderTrafficActive)]
    public string Window_decision_rules(StageKind stage, bool kickoff, bool rolledBack, bool blocked, bool disturbed, bool exitMet, bool stalled) =>
        EvidenceDecisions.Decide(new EvidenceWindowFacts { Stage = stage, Kickoff = kickoff, RolledBack = rolledBack, MetricsBlocked = blocked, Disturbed = disturbed, ExitCriteriaMet = exitMet, Stalled = stalled });

    [Test]
    public void A_shadow_window_without_v2_traffic_is_never_ready() =>
        Assert.That(EvidenceDecisions.Decide(new EvidenceWindowFacts { Stage = StageKind.Shadow, ExitCriteriaMet = true, TrafficBearing = false }), Is.EqualTo(EvidenceDecision.HoldShadow));
}
