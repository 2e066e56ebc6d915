using System.Text.Json;
using CanarySim.Cli;
using static CanarySim.Cli.Tests.InProcessCli;

namespace CanarySim.Cli.Tests.Simulate;

public sealed class SimulateCommandTests : TestFolder
{
    private static readonly string Plan = TwoDayPlan("cli-plan", "CLI plan");

    [Test]
    public void Writes_report_evidence_audit_and_summaries()
    {
        var plan = Write("plan.yaml", Plan);
        var outDir = Path.Combine(Dir, "out");
        var (code, output, err) = Run("simulate", "--plan", plan, "--seed", "3", "--out", outDir);
        Assert.That(code, Is.Zero, err);
        foreach (var file in new[] { "cli-plan.html", "cli-plan.evidence.md", "cli-plan.evidence.json", "cli-plan.audit.jsonl", "cli-plan.result.json", "cli-plan.summary.json", "cli-plan.evidence.summary.json" })
        {
            Assert.That(File.Exists(Path.Combine(outDir, file)), Is.True, file);
        }
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "cli-plan.summary.json")));
        Assert.Multiple(() =>
        {
            Assert.That(summary.RootElement.GetProperty("area").GetString(), Is.EqualTo("simulation"));
            Assert.That(summary.RootElement.GetProperty("href").GetString(), Is.EqualTo("cli-plan.html"));
            Assert.That(summary.RootElement.GetProperty("ok").GetBoolean(), Is.True);
            Assert.That(output, Does.Contain("cli-plan: in progress: holding canary-20 (20 %)"));
            Assert.That(File.ReadAllText(Path.Combine(outDir, "cli-plan.html")), Does.Contain("<svg").And.Contain("Traffic share on v2"));
            Assert.That(File.ReadAllText(Path.Combine(outDir, "cli-plan.evidence.md")), Does.Contain("| Date (UTC) | Window | Scope | Fallback rate | p95 latency | Decision | Notes |"));
        });
        using var evidenceSummary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "cli-plan.evidence.summary.json")));
        Assert.That(evidenceSummary.RootElement.GetProperty("area").GetString(), Is.EqualTo("evidence"));
    }

    [Test]
    public void With_evidence_app_log_the_apps_lines_go_to_their_own_timestamped_file_and_without_it_there_is_none()
    {
        var plan = Write("plan.yaml", Plan
            .Replace("evidence: { window: 12h }", "evidence: { window: 12h, app_log: true }", StringComparison.Ordinal)
            .Replace("sessions: 5000 }", "sessions: 5000, metrics: { anomaly: { share: 0 } } }", StringComparison.Ordinal));
        var outDir = Path.Combine(Dir, "out");
        var (code, output, err) = Run("simulate", "--plan", plan, "--seed", "3", "--inject", "v2.anomaly at day 1", "--out", outDir);
        Assert.That(code, Is.Zero, err); // no check reads anomaly here: the run only logs it
        var lines = File.ReadAllLines(Path.Combine(outDir, "cli-plan.app.log"));
        var plain = Path.Combine(Dir, "plain");
        Assert.That(Run("simulate", "--plan", Write("plain.yaml", Plan), "--seed", "3", "--out", plain).Code, Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("2026-02-16T00:00:00Z [STARTUP] Conversation engine: v2"));
            Assert.That(lines[1], Is.EqualTo("2026-02-16T00:00:00Z [STARTUP] Kill switch active: False"));
            Assert.That(lines[2], Does.Match(@"^2026-02-16T12:00:00Z \[V2-SUMMARY\] engineVersion=v2 runs=\d+ served=\d+ fallbacks=\d+ "));
            Assert.That(lines, Has.Some.Match(@"^2026-02-17T\d\d:00:00Z \[V2-ANOMALY\] 1 v2 run reported an anomaly, the first at 2026-02-17T00:0\d:\d\dZ \(\w+\)$"));
            Assert.That(lines, Has.All.Match(@"^2026-02-1\dT\d\d:\d\d:\d\dZ \[(STARTUP|V2-SUMMARY|V2-METRICS|V2-ANOMALY)\] "));
            Assert.That(output, Does.Contain("cli-plan.app.log"));
            Assert.That(File.ReadAllText(Path.Combine(outDir, "cli-plan.evidence.md")), Does.Contain("[V2-ANOMALY] 1 v2 run reported an anomaly"), "the evidence notes keep the lines");
            Assert.That(Directory.GetFiles(plain, "*.app.log"), Is.Empty);
        });
    }

    [Test]
    public void Same_seed_writes_byte_identical_files_and_json_output_has_the_injection_outcome()
    {
        var plan = Write("plan.yaml", Plan);
        var a = Path.Combine(Dir, "a");
        var b = Path.Combine(Dir, "b");
        var first = Run("simulate", "--plan", plan, "--seed", "5", "--inject", "v2.quality-12 at day 1", "--out", a, "--json");
        var second = Run("simulate", "--plan", plan, "--seed", "5", "--inject", "v2.quality-12 at day 1", "--out", b, "--json");
        Assert.That(first.Code, Is.EqualTo(1), "rolled back: exit 1");
        Assert.That(second.Out, Is.EqualTo(first.Out));
        foreach (var file in Directory.GetFiles(a).Select(Path.GetFileName))
        {
            Assert.That(File.ReadAllBytes(Path.Combine(b, file!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, file!))), file);
        }
        using var json = JsonDocument.Parse(first.Out);
        var injection = json.RootElement.GetProperty("injections")[0];
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("outcome").GetString(), Is.EqualTo("rolled_back"));
            Assert.That(json.RootElement.GetProperty("ok").GetBoolean(), Is.True);
            Assert.That(injection.GetProperty("first_breach_checks")[0].GetString(), Is.EqualTo("quality"));
            Assert.That(injection.GetProperty("time_to_rollback_seconds").GetDouble(), Is.LessThan(3600));
        });
    }

    [Test]
    public void An_invalid_plan_exits_2_naming_file_line_and_field()
    {
        var plan = Write("bad.yaml", Plan.Replace("percent: 20", "percent: 200"));
        var (code, _, err) = Run("simulate", "--plan", plan, "--out", Path.Combine(Dir, "o"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("bad.yaml:11: stages[1].percent: expected a percentage between 0 and 100, got 200"));
        Assert.That(Directory.Exists(Path.Combine(Dir, "o")), Is.False, "nothing written");
    }

    [TestCase("--inject", "v2.latncy+40% at day 9", "--inject: cannot read injection 'v2.latncy+40% at day 9': unknown fault or metric 'latncy' (did you mean 'latency'?)")]
    [TestCase("--inject", "v2.errors=20% for SICK_CALLER at day 1", "'for SICK_CALLER' (one agent's runs) applies to application metrics")]
    [TestCase("--inject", "v2.latency+40% at day 3", "--inject: injection 'v2.latency+40% at day 3' starts 3d after the plan's start, but the plan simulates 2d (its duration): it would never take effect")]
    [TestCase("--inject", "v2.errors=20% at 48h", "starts 2d after the plan's start")]
    [TestCase("--policy", "missing.json", "--policy:")]
    [TestCase("--engines", "docker", "expected inprocess or wiremock")]
    [TestCase("--profile", "bursty", "expected steady or diurnal")]
    [TestCase("--requests", "0", "expected at least 1")]
    public void Bad_options_exit_2(string option, string value, string expected)
    {
        var plan = Write("plan.yaml", Plan);
        var (code, _, err) = Run("simulate", "--plan", plan, option, value, "--out", Path.Combine(Dir, "o"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain(expected));
    }

    [Test]
    public void The_quality_axis_is_labelled_in_steps_of_five_points()
    {
        var plan = Write("plan.yaml", Plan);
        var outDir = Path.Combine(Dir, "out");
        var (code, _, err) = Run("simulate", "--plan", plan, "--seed", "3", "--inject", "v2.quality-12 at day 1", "--out", outDir);
        Assert.That(code, Is.EqualTo(1), err);
        var html = File.ReadAllText(Path.Combine(outDir, "cli-plan.html"));
        var chart = html[html.IndexOf("Mean quality (0–100)", StringComparison.Ordinal)..];
        chart = chart[..chart.IndexOf("</figure>", StringComparison.Ordinal)];
        var labels = System.Text.RegularExpressions.Regex.Matches(chart, "class=\"ylab\">([^<]+)<").Select(m => m.Groups[1].Value).ToList();
        Assert.That(labels, Has.Count.EqualTo(5));
        Assert.That(labels.Select(l => double.Parse(l, System.Globalization.CultureInfo.InvariantCulture) % 5), Is.All.EqualTo(0), string.Join(", ", labels));
        Assert.That(labels, Does.Contain("100"));
    }

    [Test]
    public void After_a_rollback_no_request_is_diffed_against_v2()
    {
        var plan = Write("plan.yaml", Plan);
        var outDir = Path.Combine(Dir, "out");
        var (code, _, err) = Run("simulate", "--plan", plan, "--seed", "3", "--inject", "v2.quality-12 at day 1", "--out", outDir);
        Assert.That(code, Is.EqualTo(1), err);
        var events = File.ReadLines(Path.Combine(outDir, "cli-plan.audit.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        string Type(JsonElement e) => e.GetProperty("type").GetString()!;
        DateTimeOffset At(JsonElement e) => e.GetProperty("at").GetDateTimeOffset();
        var killed = events.Where(e => Type(e) == "engine_route" && e.GetProperty("data").GetProperty("reason").GetString() == "kill_switch").Select(At).Min();
        Assert.That(events.Count(e => Type(e) == "decision_diff" && At(e) < killed), Is.GreaterThan(0), "diffs are sampled before the rollback");
        Assert.That(events.Where(e => Type(e) == "decision_diff" && At(e) > killed).Select(At), Is.Empty, "the kill switch keeps every request away from v2");
    }

    [Test]
    public void An_injection_no_check_notices_says_so_in_words()
    {
        var plan = Write("plan.yaml", Plan);
        var (code, output, err) = Run("simulate", "--plan", plan, "--seed", "3", "--inject", "v2.latency+5% at day 1", "--out", Path.Combine(Dir, "o"));
        Assert.That(code, Is.Zero, err);
        Assert.That(output, Does.Contain("injected v2.latency+5% at day 1: no check breached, not rolled back (action none)"));
        Assert.That(output, Does.Not.Contain("()"));
    }

    [Test]
    public void A_plan_whose_own_injection_starts_after_its_end_exits_2()
    {
        var plan = Write("late.yaml", Plan + "\ninject: [\"v2.quality-10 at day 5\"]\n");
        var (code, _, err) = Run("simulate", "--plan", plan, "--out", Path.Combine(Dir, "o"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("late.yaml: inject: injection 'v2.quality-10 at day 5' starts 5d after the plan's start"));
    }

    [Test]
    public void A_policy_metric_is_injected_for_one_agent_and_a_metric_no_check_reads_exits_2()
    {
        var plan = Write("plan.yaml", Plan);
        var policy = Write("watch.json", """
            {"schema": "canarysim.policy/v2", "window": {"duration": "15m"}, "min_samples": 5, "checks": [
              {"name": "llm_rate", "metric": "llm_call", "aggregate": "rate", "where": {"agent": "inbox_triage"}, "max": 0.25, "min_samples": 3, "action": "rollback"}]}
            """);
        var (code, output, err) = Run("simulate", "--plan", plan, "--policy", policy, "--inject", "v2.llm_call=90% for inbox_triage at day 1", "--out", Path.Combine(Dir, "ok"), "--json");
        Assert.That(code, Is.EqualTo(1), err);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("injections")[0].GetProperty("first_breach_checks")[0].GetString(), Is.EqualTo("llm_rate"));
        var typo = Run("simulate", "--plan", plan, "--policy", policy, "--inject", "v2.llm_cal=90% at day 1", "--out", Path.Combine(Dir, "o"));
        Assert.That(typo.Code, Is.EqualTo(2));
        Assert.That(typo.Err, Does.Contain("unknown fault or metric 'llm_cal' (did you mean 'llm_call'?)").And.Contain("metrics of this plan and policy: llm_call, tokens"));
        Assert.That(Directory.Exists(Path.Combine(Dir, "o")), Is.False, "nothing written");
    }

    [Test]
    public void Missing_plan_file_exits_2()
    {
        var (code, _, err) = Run("simulate", "--plan", Path.Combine(Dir, "nope.yaml"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("nope.yaml").And.Contain("not found"));
    }

    [Test]
    public void Rollup_reads_the_simulation_audit_log()
    {
        var plan = Write("plan.yaml", Plan);
        var simOut = Path.Combine(Dir, "sim");
        Assert.That(Run("simulate", "--plan", plan, "--out", simOut).Code, Is.Zero);
        var rollupOut = Path.Combine(Dir, "rollup");
        var (code, output, err) = Run("rollup", "--audit", Path.Combine(simOut, "cli-plan.audit.jsonl"), "--since", "2026-02-16", "--out", rollupOut, "--json");
        Assert.That(code, Is.Zero, err);
        using var json = JsonDocument.Parse(output);
        var md = File.ReadAllText(Path.Combine(rollupOut, "rollup-2026-W08.md"));
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("total_runs").GetInt64(), Is.EqualTo(40000));
            Assert.That(json.RootElement.GetProperty("week").GetString(), Is.EqualTo("2026-W08"));
            Assert.That(md, Does.Contain("**Total Runs:** 40,000"));
            Assert.That(md, Does.Contain("## Traffic Split").And.Contain("### Top Agent Disagreements").And.Contain("## Recommendations").And.Contain("## Actions"));
            Assert.That(File.Exists(Path.Combine(rollupOut, "rollup-2026-W08.summary.json")), Is.True);
            Assert.That(md, Does.Contain("**Period:** 2026-02-16 to 2026-02-23 (7 days; the last day is 2026-02-22)"));
        });
        var text = Run("rollup", "--audit", Path.Combine(simOut, "cli-plan.audit.jsonl"), "--since", "2026-02-16", "--out", rollupOut);
        Assert.That(text.Out, Does.StartWith("2026-W08, 2026-02-16 to 2026-02-23 (7 days; the last day is 2026-02-22): 40,000 runs"), "the CLI says the period as the report does");
    }

    [Test]
    public void Rollup_rejects_bad_input_with_file_and_line()
    {
        var audit = Write("a.jsonl", "{\"at\":\"2026-02-16T00:00:00Z\",\"type\":\"engine_route\",\"data\":{\"selected\":\"v1\"}}\n{not json}\n");
        var (code, _, err) = Run("rollup", "--audit", audit, "--out", Path.Combine(Dir, "r"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("a.jsonl:2"));

        Assert.That(Run("rollup", "--out", Path.Combine(Dir, "r")).Code, Is.EqualTo(2), "a source is required");
        var missingDb = Run("rollup", "--db", Path.Combine(Dir, "none.db"));
        Assert.That(missingDb.Code, Is.EqualTo(2));
        Assert.That(File.Exists(Path.Combine(Dir, "none.db")), Is.False, "never creates a store");
        Assert.That(Run("rollup", "--audit", audit, "--since", "yesterday").Err, Does.Contain("--since"));
    }
}
