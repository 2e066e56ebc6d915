using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CanarySim.Core.Gating;

/// <summary>Renders a <see cref="ShadowDiffReport"/> as snake_case JSON and as Markdown.</summary>
public static class ShadowDiffReportWriter
{
    private static readonly (ShadowOutcome Outcome, string Wire, string Title)[] Sections =
    [
        (ShadowOutcome.Regressed, "regressed", "Regressed (pass → fail)"),
        (ShadowOutcome.Improved, "improved", "Improved (fail → pass)"),
        (ShadowOutcome.MissingInCandidate, "missing_in_candidate", "Missing in candidate"),
        (ShadowOutcome.MissingInBaseline, "missing_in_baseline", "Missing in baseline"),
        (ShadowOutcome.Unchanged, "unchanged", "Unchanged"),
    ];

    /// <summary>Wire name of an outcome, e.g. <c>missing_in_candidate</c>.</summary>
    public static string Wire(ShadowOutcome outcome) => Sections.First(s => s.Outcome == outcome).Wire;

    /// <summary>JSON: label, verdict, start_canary, baseline, candidate, counts, blocking[], and one array per outcome.</summary>
    public static string ToJson(ShadowDiffReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("label", report.Label);
            w.WriteString("verdict", report.Verdict);
            w.WriteBoolean("start_canary", report.StartCanary);
            w.WritePropertyName("baseline");
            JsonWire.Input(w, report.Baseline);
            w.WritePropertyName("candidate");
            JsonWire.Input(w, report.Candidate);
            w.WriteStartObject("counts");
            foreach (var s in Sections)
            {
                w.WriteNumber(s.Wire, report.Entries.Count(e => e.Outcome == s.Outcome));
            }
            w.WriteNumber("critical_regressed", report.Entries.Count(e => e.Critical && e.Outcome == ShadowOutcome.Regressed));
            w.WriteEndObject();
            Entries(w, "blocking", report.Blocking);
            foreach (var s in Sections)
            {
                Entries(w, s.Wire, report.With(s.Outcome));
            }
            w.WriteString("generated_at", report.GeneratedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Entries(Utf8JsonWriter w, string name, IEnumerable<ShadowDiffEntry> entries)
    {
        w.WriteStartArray(name);
        foreach (var e in entries)
        {
            w.WriteStartObject();
            w.WriteString("case_id", e.CaseId);
            w.WriteString("role", e.Role);
            w.WriteString("outcome", Wire(e.Outcome));
            Bool(w, "baseline_passed", e.BaselinePassed);
            Bool(w, "candidate_passed", e.CandidatePassed);
            w.WriteBoolean("critical", e.Critical);
            w.WriteBoolean("blocks_canary", e.BlocksCanary);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Bool(Utf8JsonWriter w, string name, bool? value)
    {
        if (value is { } v)
        {
            w.WriteBoolean(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>Markdown: verdict first, then the blocking cases, then each outcome's cases.</summary>
    public static string ToMarkdown(ShadowDiffReport report)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Shadow diff — {report.Label}");
        md.AppendLine();
        md.AppendLine(report.StartCanary
            ? "## Verdict: **START CANARY** — no critical scenario regressed"
            : $"## Verdict: **DO NOT START CANARY** — {report.Blocking.Count} critical case(s) regressed or missing");
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
                md.AppendLine($"| {GateReportWriter.Cell(e.CaseId)} | {e.Role} | {(e.Critical ? "**yes**" : "no")} | {Result(e.BaselinePassed)} | {Result(e.CandidatePassed)} | {(e.BlocksCanary ? "**yes**" : "no")} |");
            }
            md.AppendLine();
        }
        md.AppendLine($"_Generated {report.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC by canarysim shadow-diff._");
        return md.ToString();
    }

    private static string Result(bool? passed) => passed switch { true => "pass", false => "fail", null => "—" };
}
