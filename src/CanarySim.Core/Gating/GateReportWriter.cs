using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CanarySim.Core.Gating;

/// <summary>Writes a <see cref="GateReport"/> as the gate-report JSON artifact (its Markdown lives in CanarySim.Reports).</summary>
public static class GateReportWriter
{
    /// <summary>JSON: label, stage, overall_go, checks[], next_stage | rollback_action, defects[], counts, inputs[] (snake_case).</summary>
    public static string ToJson(GateReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonWire.ReadableIndented))
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
                w.WriteString("status", WireName.Of(c.Status));
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
}
