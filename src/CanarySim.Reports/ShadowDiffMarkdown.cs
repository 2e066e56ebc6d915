using System.Globalization;
using System.Text;
using CanarySim.Core.Gating;

namespace CanarySim.Reports;

/// <summary>A shadow diff as Markdown: verdict first, then the blocking cases, then each outcome's cases.</summary>
public static class ShadowDiffMarkdown
{
    private static readonly (ShadowOutcome Outcome, string Title)[] Sections =
    [
        (ShadowOutcome.Regressed, "Regressed (pass → fail)"),
        (ShadowOutcome.Improved, "Improved (fail → pass)"),
        (ShadowOutcome.MissingInCandidate, "Missing in candidate"),
        (ShadowOutcome.MissingInBaseline, "Missing in baseline"),
        (ShadowOutcome.Unchanged, "Unchanged"),
    ];

    /// <summary>Markdown: verdict first, then the blocking cases, then each outcome's cases.</summary>
    public static string ToMarkdown(this ShadowDiffReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine($"# Shadow diff — {report.Label}");
        md.AppendLine();
        md.AppendLine(report.StartCanary
            ? "## Verdict: **START CANARY** — no critical scenario regressed"
            : $"## Verdict: **DO NOT START CANARY** — {Markdown.Count(report.Blocking.Count, "critical case", "critical cases")} regressed or missing");
        md.AppendLine();
        md.AppendLine($"Baseline `{Path.GetFileName(report.Baseline.Source)}` ({report.Baseline.Engine ?? "engine ?"}, run {report.Baseline.RunId ?? "?"}) vs candidate `{Path.GetFileName(report.Candidate.Source)}` ({report.Candidate.Engine ?? "engine ?"}, run {report.Candidate.RunId ?? "?"}); first runs only.");
        md.AppendLine();
        md.AppendLine("| outcome | cases |");
        md.AppendLine("|---|---|");
        foreach (var s in Sections)
        {
            md.AppendLine($"| {s.Title} | {report.Entries.Count(e => e.Outcome == s.Outcome)} |");
        }
        md.AppendLine();
        foreach (var s in Sections.Where(s => s.Outcome != ShadowOutcome.Unchanged))
        {
            var list = report.With(s.Outcome);
            if (list.Count == 0)
            {
                continue;
            }
            md.AppendLine($"## {s.Title}");
            md.AppendLine();
            md.AppendLine("| case | role | critical | baseline | candidate | blocks canary |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var e in list)
            {
                md.AppendLine($"| {Markdown.Cell(e.CaseId)} | {e.Role} | {(e.Critical ? "**yes**" : "no")} | {Result(e.BaselinePassed)} | {Result(e.CandidatePassed)} | {(e.BlocksCanary ? "**yes**" : "no")} |");
            }
            md.AppendLine();
        }
        md.AppendLine($"_Generated {report.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC by canarysim shadow-diff._");
        return md.ToString();
    }

    private static string Result(bool? passed) => passed switch { true => "pass", false => "fail", null => "—" };
}
