using System.Text.Json;
using CanarySim.Core.Gating;
using static CanarySim.Core.Tests.Gating.UatJson;
using CanarySim.Reports;

namespace CanarySim.Core.Tests.Gating;

public sealed class ReportWriterTests
{
    private static GateReport Report(bool go)
    {
        var cases = Pair("FIN-01").Concat(Pair("WR-02")).ToList();
        if (!go)
        {
            cases[3]["write_safety_incident"] = true;
        }
        return new ReleaseGate().Evaluate(new GateRequest(50, 5000, null, "phase8"), [Input("stage50.json", cases)]);
    }

    [Test]
    public void Gate_json_has_the_spec_fields_with_next_stage_on_go()
    {
        using var doc = JsonDocument.Parse(GateReportWriter.ToJson(Report(go: true)));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("label").GetString(), Is.EqualTo("phase8"));
        Assert.That(root.GetProperty("stage").GetInt32(), Is.EqualTo(50));
        Assert.That(root.GetProperty("overall_go").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("next_stage").GetString(), Is.EqualTo("100"));
        Assert.That(root.TryGetProperty("rollback_action", out _), Is.False);
        var check = root.GetProperty("checks")[4];
        Assert.That(check.GetProperty("name").GetString(), Is.EqualTo("correction_trend"));
        Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("skipped"));
        Assert.That(check.GetProperty("threshold").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(check.TryGetProperty("detail", out _), Is.True);
        Assert.That(check.TryGetProperty("value", out _), Is.True);
        var counts = root.GetProperty("counts");
        Assert.That(new[] { "cases_total", "first_run", "diagnostic_ignored", "superseded" }.Select(k => counts.GetProperty(k).GetInt32()), Is.EqualTo(new[] { 4, 4, 0, 0 }));
        Assert.That(root.GetProperty("inputs")[0].GetProperty("file").GetString(), Is.EqualTo("stage50.json"));
        Assert.That(root.GetProperty("defects").GetArrayLength(), Is.EqualTo(0));
    }

    [Test]
    public void Gate_json_has_rollback_and_defects_with_cases_on_no_go()
    {
        using var doc = JsonDocument.Parse(GateReportWriter.ToJson(Report(go: false)));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("overall_go").GetBoolean(), Is.False);
        Assert.That(root.GetProperty("rollback_action").GetString(), Is.EqualTo("assistant_engine=v2"));
        Assert.That(root.TryGetProperty("next_stage", out _), Is.False);
        var defect = root.GetProperty("defects").EnumerateArray().Single();
        Assert.That(defect.GetProperty("check").GetString(), Is.EqualTo("write_safety"));
        Assert.That(defect.GetProperty("cases")[0].GetProperty("case_id").GetString(), Is.EqualTo("WR-02"));
        Assert.That(defect.GetProperty("cases")[0].GetProperty("role").GetString(), Is.EqualTo("ai.operator"));
    }

    [Test]
    public void Markdown_puts_the_verdict_first_then_checks_then_defects()
    {
        var md = Report(go: false).ToMarkdown();
        var verdict = md.IndexOf("## Verdict: **NO-GO** — roll back now: set `assistant_engine=v2`", StringComparison.Ordinal);
        var checks = md.IndexOf("## Checks", StringComparison.Ordinal);
        var defects = md.IndexOf("## Defects", StringComparison.Ordinal);
        var wr02 = md.IndexOf("| WR-02 | ai.operator | stage50.json |", StringComparison.Ordinal);
        Assert.That(verdict, Is.GreaterThan(0));
        Assert.That(checks, Is.GreaterThan(verdict));
        Assert.That(defects, Is.GreaterThan(checks));
        Assert.That(wr02, Is.GreaterThan(defects));
        Assert.That(md, Does.Contain("| `write_safety` | ❌ fail | 1 | 0 |"));
    }

    [Test]
    public void Markdown_counts_read_in_words_singular_for_one()
    {
        var md = Report(go: false).ToMarkdown();
        Assert.That(md, Does.Contain("1 failed check: `write_safety`."));
        Assert.That(md, Does.Contain("4 case results read; **4 first runs scored** (2 case ids × roles); 0 diagnostic reruns ignored; 0 later first runs superseded."));
        var diff = new ShadowDiff().Compare(Input("v2.json", [Case("FIN-02", critical: true)]), Input("v3.json", [Case("FIN-02", passed: false, critical: true)]));
        Assert.That(diff.ToMarkdown(), Does.Contain("— 1 critical case regressed or missing"));
    }

    [Test]
    public void Markdown_on_go_names_the_promotion()
    {
        Assert.That(Report(go: true).ToMarkdown(), Does.Contain("## Verdict: **GO** — promote to 100 %"));
    }

    [Test]
    public void Shadow_diff_json_and_markdown_list_regressions()
    {
        var report = new ShadowDiff().Compare(Input("v2.json", [Case("FIN-02", critical: true), Case("SAL-01", passed: false)]),
            Input("v3.json", [Case("FIN-02", passed: false, critical: true), Case("SAL-01")]));
        using var doc = JsonDocument.Parse(ShadowDiffReportWriter.ToJson(report));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("start_canary").GetBoolean(), Is.False);
        Assert.That(root.GetProperty("counts").GetProperty("regressed").GetInt32(), Is.EqualTo(1));
        Assert.That(root.GetProperty("counts").GetProperty("improved").GetInt32(), Is.EqualTo(1));
        Assert.That(root.GetProperty("regressed")[0].GetProperty("case_id").GetString(), Is.EqualTo("FIN-02"));
        Assert.That(root.GetProperty("blocking")[0].GetProperty("critical").GetBoolean(), Is.True);
        var md = report.ToMarkdown();
        Assert.That(md, Does.StartWith("# Shadow diff").And.Contain("## Verdict: **DO NOT START CANARY**"));
        Assert.That(md, Does.Contain("| FIN-02 | ai.reader | **yes** | pass | fail | **yes** |"));
    }

    [Test]
    public void Shadow_diff_json_keeps_plus_and_greater_than_readable()
    {
        // People read these files: "+00:00" and "a > b" as written, never \u002B / \u003E.
        var report = new ShadowDiff().Compare(Input("v2.json", [Case("FIN-02", critical: true)]),
            Input("v3.json", [Case("FIN-02", passed: false, critical: true)]));
        var json = ShadowDiffReportWriter.ToJson(report);
        Assert.That(json, Does.Contain("\"started_at\": \"2026-02-19T10:00:00+00:00\""));
        Assert.That(json, Does.Not.Contain("\\u00"));
        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.GetProperty("baseline").GetProperty("started_at").GetString(), Is.EqualTo("2026-02-19T10:00:00+00:00"));
    }
}
