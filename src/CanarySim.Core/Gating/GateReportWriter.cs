using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CanarySim.Core.Gating;

/// <summary>Renders a <see cref="GateReport"/> as the SPEC §3 JSON and as Markdown for a release manager.</summary>
public static class GateReportWriter
{
    /// <summary>SPEC §3 JSON: label, stage, overall_go, checks[], next_stage | rollback_action, defects[], counts, inputs[] (snake_case).</summary>
    public static string ToJson(GateReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("label", report.Label);
            w.WriteNumber("stage", report.Stage);
            w.WriteBoolean("overall_go", report.OverallGo);
            w.WriteString("verdict", report.Verdict);
            if (report.OverallGo)
            {
                w.WriteString("next_stage", report.NextStage);
            }
            else
            {
                w.WriteString("rollback_action", report.RollbackAction);
            }
            w.WriteStartArray("checks");
            foreach (var c in report.Checks)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("status", Wire(c.Status));
                JsonWire.Number(w, "value", c.Value);
                JsonWire.Number(w, "threshold", c.Threshold);
                w.WriteString("detail", c.Detail);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("defects");
            foreach (var d in report.Defects)
            {
                w.WriteStartObject();
                w.WriteString("check", d.Check);
                w.WriteString("title", d.Title);
                w.WriteString("detail", d.Detail);
                w.WriteNumber("case_count", d.CaseCount);
                JsonWire.Cases(w, "cases", d.Cases);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("counts");
            w.WriteNumber("cases_total", report.Counts.CasesTotal);
            w.WriteNumber("first_run", report.Counts.FirstRun);
            w.WriteNumber("diagnostic_ignored", report.Counts.DiagnosticIgnored);
            w.WriteNumber("superseded", report.Counts.Superseded);
            w.WriteNumber("case_ids", report.Counts.CaseIds);
            w.WriteEndObject();
            w.WriteStartArray("inputs");
            foreach (var i in report.Inputs)
            {
                JsonWire.Input(w, i);
            }
            w.WriteEndArray();
            w.WriteNumber("latency_p95_sla_ms", report.LatencyP95SlaMs);
            JsonWire.Number(w, "baseline_correction_rate", report.BaselineCorrectionRate);
            w.WriteString("generated_at", report.GeneratedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Markdown for a release manager: the verdict and what to do first, then the checks table, then the defects with their cases.</summary>
    public static string ToMarkdown(GateReport report)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Release gate — {report.Label}, stage {report.Stage} %");
        md.AppendLine();
        if (report.OverallGo)
        {
            md.AppendLine($"## Verdict: **GO** — promote to {(report.NextStage!.All(char.IsAsciiDigit) ? report.NextStage + " %" : "`" + report.NextStage + "`")}");
        }
        else
        {
            md.AppendLine($"## Verdict: **NO-GO** — roll back now: set `{report.RollbackAction}`");
            md.AppendLine();
            md.AppendLine($"{report.Defects.Count} failed check(s): {string.Join(", ", report.Defects.Select(d => "`" + d.Check + "`"))}. Open one defect for each (below).");
        }
        md.AppendLine();
        md.AppendLine("## Checks");
        md.AppendLine();
        md.AppendLine("| check | status | value | threshold | detail |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var c in report.Checks)
        {
            var status = c.Status switch { GateCheckStatus.Pass => "✅ pass", GateCheckStatus.Fail => "❌ fail", _ => "➖ skipped" };
            md.AppendLine($"| `{c.Name}` | {status} | {Num(c.Value)} | {Num(c.Threshold)} | {Cell(c.Detail)} |");
        }
        md.AppendLine();
        md.AppendLine("## Defects");
        md.AppendLine();
        if (report.Defects.Count == 0)
        {
            md.AppendLine("None.");
        }
        foreach (var d in report.Defects)
        {
            md.AppendLine($"### {d.Title}");
            md.AppendLine();
            md.AppendLine(d.Detail);
            md.AppendLine();
            if (d.Cases.Count > 0)
            {
                md.AppendLine("| case | role | input | why |");
                md.AppendLine("|---|---|---|---|");
                foreach (var c in d.Cases)
                {
                    md.AppendLine($"| {Cell(c.CaseId)} | {c.Role} | {Cell(c.Input.Length == 0 ? "—" : Path.GetFileName(c.Input))} | {Cell(c.Reason)} |");
                }
                if (d.CaseCount > d.Cases.Count)
                {
                    md.AppendLine($"| … | | | {d.CaseCount - d.Cases.Count} more in the JSON report's case count |");
                }
                md.AppendLine();
            }
        }
        md.AppendLine();
        md.AppendLine("## What was scored");
        md.AppendLine();
        var k = report.Counts;
        md.AppendLine($"{k.CasesTotal} case results read; **{k.FirstRun} first runs scored** ({k.CaseIds} case ids × roles); {k.DiagnosticIgnored} diagnostic reruns ignored; {k.Superseded} later first runs superseded. Earliest first run per (case, role) wins.");
        md.AppendLine();
        md.AppendLine($"SLA p95 {Num(report.LatencyP95SlaMs)} ms; baseline correction rate {(report.BaselineCorrectionRate is { } r ? Num(r) : "not given")}.");
        md.AppendLine();
        md.AppendLine("| input | run id | engine | started | cases |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var i in report.Inputs)
        {
            md.AppendLine($"| {Cell(Path.GetFileName(i.Source))} | {Cell(i.RunId ?? "—")} | {Cell(i.Engine ?? "—")} | {(i.StartedAt is { } s ? s.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—")} | {i.CaseCount} |");
        }
        md.AppendLine();
        md.AppendLine($"_Generated {report.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC by canarysim gate._");
        return md.ToString();
    }

    /// <summary>Wire value of a status: <c>pass</c>, <c>fail</c>, <c>skipped</c>.</summary>
    public static string Wire(GateCheckStatus status) => status switch
    {
        GateCheckStatus.Pass => "pass",
        GateCheckStatus.Fail => "fail",
        _ => "skipped",
    };

    internal static string Num(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "—";

    internal static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
