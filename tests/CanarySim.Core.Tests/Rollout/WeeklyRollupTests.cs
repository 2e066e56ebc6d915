using CanarySim.Core.Audit;
using CanarySim.Core.Reporting;
using CanarySim.Reports;

namespace CanarySim.Core.Tests.Rollout;

public sealed class WeeklyRollupTests
{
    private static readonly DateTimeOffset From = new(2025, 10, 10, 0, 0, 0, TimeSpan.Zero);

    private static InMemoryAuditLog SeedWeek()
    {
        var log = new InMemoryAuditLog();
        void Route(int day, string selected, int count = 1) =>
            log.Append(new AuditEvent(From.AddDays(day), "engine_route", $$"""{"selected":"{{selected}}","reason":"canary","count":{{count}}}"""));
        Route(0, "v1", 200);
        Route(1, "v1", 8);
        Route(2, "v2", 37);
        // Seed 001 PR3 example: 208 v1, 37 v2 → 245 runs, 15 % on v2
        log.Append(new AuditEvent(From.AddDays(1), "decision_diff", """{"agent_v1":"inbox_triage","agent_v2":"inbox_priority","agent_changed":true,"any_change":true,"count":12}"""));
        log.Append(new AuditEvent(From.AddDays(1), "decision_diff", """{"agent_v1":"knowledge_update","agent_v2":"knowledge_validate","agent_changed":true,"any_change":true,"count":5}"""));
        log.Append(new AuditEvent(From.AddDays(2), "decision_diff", """{"agent_v1":"inbox_triage","agent_v2":"inbox_triage","agent_changed":false,"any_change":false,"count":76}"""));
        // per-request events carrying their diff, as the service records them
        log.Append(new AuditEvent(From.AddDays(3), "engine_route", """{"selected":"v1","reason":"shadow","diff":{"agent_v1":"a","agent_v2":"a","agent_changed":false,"any_change":true}}"""));
        log.Append(new AuditEvent(From.AddDays(8), "engine_route", """{"selected":"v2","reason":"canary","count":1000}"""));
        return log;
    }

    [Test]
    public void Counts_runs_split_and_disagreements_inside_the_period()
    {
        var r = WeeklyRollup.Build(SeedWeek(), From, From.AddDays(7));
        Assert.Multiple(() =>
        {
            Assert.That(r.TotalRuns, Is.EqualTo(246));
            Assert.That(r.V1Runs, Is.EqualTo(209));
            Assert.That(r.V2Runs, Is.EqualTo(37));
            Assert.That(r.Compared, Is.EqualTo(94));
            Assert.That(r.AgentChanges, Is.EqualTo(17));
            Assert.That(r.AnyChanges, Is.EqualTo(18));
            Assert.That(r.AgentChangeRate, Is.EqualTo(17.0 / 94).Within(1e-12));
            Assert.That(r.TopDisagreements, Is.EqualTo(new[] { new AgentDisagreement("inbox_triage", "inbox_priority", 12), new AgentDisagreement("knowledge_update", "knowledge_validate", 5) }));
            Assert.That(r.Week, Is.EqualTo("2025-W42"));
        });
    }

    [Test]
    public void The_period_names_its_last_day_and_a_period_off_midnight_shows_its_times()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WeeklyRollup.Build(SeedWeek(), From, From.AddDays(7)).Period(), Is.EqualTo("2025-10-10 to 2025-10-17 (7 days; the last day is 2025-10-16)"));
            Assert.That(WeeklyRollup.Build(SeedWeek(), From.AddHours(12), From.AddDays(7).AddHours(12)).Period(),
                Is.EqualTo("2025-10-10 12:00 to 2025-10-17 12:00 UTC (7 days; the end not included)"));
        });
    }

    [Test]
    public void Markdown_has_the_seed_sections()
    {
        var md = WeeklyRollup.Build(SeedWeek(), From, From.AddDays(7)).ToMarkdown();
        Assert.Multiple(() =>
        {
            Assert.That(md, Does.StartWith("# Planner Weekly Report — 2025-W42"));
            Assert.That(md, Does.Contain("**Period:** 2025-10-10 to 2025-10-17 (7 days; the last day is 2025-10-16)"));
            Assert.That(md, Does.Contain("**Total Runs:** 246"));
            Assert.That(md, Does.Contain("- V1 (original): 209 runs (85.0%)"));
            Assert.That(md, Does.Contain("- V2 (canary): 37 runs (15.0%)"));
            Assert.That(md, Does.Contain("Agent change rate: 18.1%"));
            Assert.That(md, Does.Contain("| `inbox_triage` | `inbox_priority` | 12 |"));
            Assert.That(md, Does.Contain("⚠️ Review scoring weights - some disagreement on `inbox_triage` vs `inbox_priority`"));
            Assert.That(md, Does.Contain("✅ Maintain current split"));
            Assert.That(md, Does.Contain("- [ ] Review top disagreements for correctness"));
        });
    }

    [Test]
    public void Rollbacks_change_the_recommendation_and_high_divergence_asks_to_slow_down()
    {
        var log = new InMemoryAuditLog();
        log.Append(new AuditEvent(From, "engine_route", """{"selected":"v2","count":10}"""));
        log.Append(new AuditEvent(From, "decision_diff", """{"agent_v1":"a","agent_v2":"b","agent_changed":true,"count":40}"""));
        log.Append(new AuditEvent(From, "decision_diff", """{"agent_v1":"a","agent_v2":"a","agent_changed":false,"count":60}"""));
        log.Append(new AuditEvent(From.AddHours(1), "rollback", """{"actor":"auto","reason":"latency (V2 p95: 1850ms > 1600ms)"}"""));
        var r = WeeklyRollup.Build(log, From, From.AddDays(7));
        Assert.That(r.Recommendations, Has.Some.StartsWith("⛔ Hold the split - 1 rollback(s)"));
        Assert.That(r.Recommendations, Has.Some.StartsWith("⚠️ Slow the rollout - agent change rate 40.0%"));
        Assert.That(r.Rollbacks.Single().Reason, Does.Contain("1850ms"));
        Assert.That(r.ToMarkdown(), Does.Contain("## Rollbacks"));
    }

    [Test]
    public void A_week_under_the_kill_switch_says_so_instead_of_shadow_only()
    {
        var log = new InMemoryAuditLog();
        log.Append(new AuditEvent(From, "engine_route", """{"selected":"v1","reason":"kill_switch","count":90}"""));
        log.Append(new AuditEvent(From, "engine_route", """{"selected":"v1","reason":"shadow","count":10}"""));
        var r = WeeklyRollup.Build(log, From, From.AddDays(7));
        Assert.That(r.KillSwitchRuns, Is.EqualTo(90));
        Assert.That(r.Recommendations, Has.Some.StartsWith("⛔ Kill switch on - 90.0% of runs went to V1 because of it"));
        Assert.That(r.Recommendations, Has.None.Contains("Shadow only"));
        Assert.That(r.Actions, Has.Some.Contains("settings history"));
        Assert.That(r.ToMarkdown(), Does.Contain("- V1 (original): 100 runs (100.0%), 90 of them because the kill switch was on\n"));

        var shadow = new InMemoryAuditLog();
        shadow.Append(new AuditEvent(From, "engine_route", """{"selected":"v1","reason":"shadow","count":10}"""));
        Assert.That(WeeklyRollup.Build(shadow, From, From.AddDays(7)).Recommendations, Has.Some.StartsWith("ℹ️ Shadow only"));
    }

    [Test]
    public void An_empty_week_says_so()
    {
        var r = WeeklyRollup.Build(new InMemoryAuditLog(), From, From.AddDays(7));
        Assert.That(r.TotalRuns, Is.Zero);
        Assert.That(r.Recommendations.Single(), Does.Contain("No traffic recorded"));
    }
}
