using System.Globalization;
using System.Text;
using CanarySim.Core.Gating;

namespace CanarySim.Reports;

/// <summary>A release-gate report as Markdown for a release manager.</summary>
public static class GateReportMarkdown
{
    /// <summary>Markdown for a release manager: the verdict and what to do first, then the checks table, then the defects with their cases.</summary>
    public static string ToMarkdown(this GateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
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
            md.AppendLine($"{Markdown.Count(report.Defects.Count, "failed check", "failed checks")}: {string.Join(", ", report.Defects.Select(d => "`" + d.Check + "`"))}. Open one defect for each (below).");
        }
        md.AppendLine();
        md.AppendLine("## Checks");
        md.AppendLine();
        md.AppendLine("| check | status | value | threshold | detail |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var c in report.Checks)
        {
            var status = c.Status switch { GateCheckStatus.Pass => "✅ pass", GateCheckStatus.Fail => "❌ fail", _ => "➖ skipped" };
            md.AppendLine($"| `{c.Name}` | {status} | {Markdown.Num(c.Value)} | {Markdown.Num(c.Threshold)} | {Markdown.Cell(c.Detail)} |");
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
                    md.AppendLine($"| {Markdown.Cell(c.CaseId)} | {c.Role} | {Markdown.Cell(c.Input.Length == 0 ? "—" : Path.GetFileName(c.Input))} | {Markdown.Cell(c.Reason)} |");
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
        md.AppendLine($"{Markdown.Count(k.CasesTotal, "case result", "case results")} read; **{Markdown.Count(k.FirstRun, "first run", "first runs")} scored** ({Markdown.Count(k.CaseIds, "case id", "case ids")} × roles); " +
                     $"{Markdown.Count(k.DiagnosticIgnored, "diagnostic rerun", "diagnostic reruns")} ignored; {Markdown.Count(k.Superseded, "later first run", "later first runs")} superseded. Earliest first run per (case, role) wins.");
        md.AppendLine();
        md.AppendLine($"SLA p95 {Markdown.Num(report.LatencyP95SlaMs)} ms; baseline correction rate {(report.BaselineCorrectionRate is { } r ? Markdown.Num(r) : "not given")}.");
        md.AppendLine();
        md.AppendLine("| input | run id | engine | started | cases |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var i in report.Inputs)
        {
            md.AppendLine($"| {Markdown.Cell(Path.GetFileName(i.Source))} | {Markdown.Cell(i.RunId ?? "—")} | {Markdown.Cell(i.Engine ?? "—")} | {(i.StartedAt is { } s ? s.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—")} | {i.CaseCount} |");
        }
        md.AppendLine();
        md.AppendLine($"_Generated {report.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC by canarysim gate._");
        return md.ToString();
    }
}
