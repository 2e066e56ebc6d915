using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CanarySim.Core.Gating;

/// <summary>Writes a <see cref="ShadowDiffReport"/> as snake_case JSON (its Markdown lives in CanarySim.Reports).</summary>
public static class ShadowDiffReportWriter
{
    private static readonly ShadowOutcome[] Sections =
    [
        ShadowOutcome.Regressed,
        ShadowOutcome.Improved,
        ShadowOutcome.MissingInCandidate,
        ShadowOutcome.MissingInBaseline,
        ShadowOutcome.Unchanged,
    ];

    /// <summary>JSON: label, verdict, start_canary, baseline, candidate, counts, blocking[], and one array per outcome.</summary>
    public static string ToJson(ShadowDiffReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonWire.ReadableIndented))
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
                w.WriteNumber(WireName.Of(s), report.Entries.Count(e => e.Outcome == s));
            }
            w.WriteNumber("critical_regressed", report.Entries.Count(e => e.Critical && e.Outcome == ShadowOutcome.Regressed));
            w.WriteEndObject();
            Entries(w, "blocking", report.Blocking);
            foreach (var s in Sections)
            {
                Entries(w, WireName.Of(s), report.With(s));
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
            w.WriteString("outcome", WireName.Of(e.Outcome));
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

}
