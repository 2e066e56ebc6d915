using System.Globalization;
using System.Text.Json;

namespace CanarySim.Core.Gating;

/// <summary>
/// Reads a gate report JSON (as <see cref="GateReportWriter.ToJson"/> writes it) back into a <see cref="GateReport"/>,
/// so whoever acts on a written report acts on what the file says. A failed check's cases come from its defect
/// (the JSON lists them once, under <c>defects</c>). The report must be consistent: the verdict agrees with
/// <c>overall_go</c>, GO names the next stage, NO-GO the rollback action, and every failed check has exactly one defect.
/// Every problem is a <see cref="GateReportException"/> naming the source, the line or field, and what was expected.
/// </summary>
public static class GateReportReader
{
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>Parses report JSON text.</summary>
    /// <param name="json">The report text.</param>
    /// <param name="source">Names the report in errors (usually its file path).</param>
    public static GateReport Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new GateReportException(source, $"malformed JSON: {ex.Message}", null, (ex.LineNumber ?? 0) + 1, ex);
        }
        using (doc)
        {
            return new Fields(source).Report(doc.RootElement);
        }
    }

    private sealed class Fields(string source)
    {
        public GateReport Report(JsonElement root)
        {
            Expect(root, JsonValueKind.Object, "(root)", "an object");
            var go = Bool(root, "overall_go");
            var verdict = Text(root, "verdict");
            if (verdict != (go ? "GO" : "NO-GO"))
            {
                throw Fail("verdict", $"expected \"{(go ? "GO" : "NO-GO")}\" (overall_go is {(go ? "true" : "false")}), found \"{verdict}\"");
            }
            var nextStage = go ? Text(root, "next_stage") : null;
            var rollback = go ? null : Text(root, "rollback_action");
            var defects = Array(root, "defects", (e, at) => Defect(e, at));
            var checks = Array(root, "checks", (e, at) => Check(e, at, defects));
            var failed = checks.Where(c => c.Status == GateCheckStatus.Fail).Select(c => c.Name).ToList();
            if (!failed.SequenceEqual(defects.Select(d => d.Check)))
            {
                throw Fail("defects", $"expected one defect per failed check, in check order [{string.Join(", ", failed)}], found [{string.Join(", ", defects.Select(d => d.Check))}]");
            }
            if (go != (failed.Count == 0))
            {
                throw Fail("overall_go", go ? $"true, but checks failed: {string.Join(", ", failed)}" : "false, but no check failed");
            }
            var counts = Object(root, "counts");
            return new GateReport(
                Text(root, "label"),
                Int(root, "stage"),
                go,
                checks,
                nextStage,
                rollback,
                defects,
                new GateCounts(Int(counts, "cases_total", "counts."), Int(counts, "first_run", "counts."), Int(counts, "diagnostic_ignored", "counts."),
                    Int(counts, "superseded", "counts."), Int(counts, "case_ids", "counts.")),
                Array(root, "inputs", Input),
                Number(root, "latency_p95_sla_ms") ?? throw Fail("latency_p95_sla_ms", "expected a number, found null"),
                Number(root, "baseline_correction_rate"),
                Time(root, "generated_at") ?? throw Fail("generated_at", "expected a timestamp, found null"));
        }

        private GateCheck Check(JsonElement e, string at, IReadOnlyList<GateDefect> defects)
        {
            var name = Text(e, "name", at);
            var statusText = Text(e, "status", at);
            if (!WireName.TryParse<GateCheckStatus>(statusText, out var status))
            {
                throw Fail(at + "status", $"expected \"pass\", \"fail\" or \"skipped\", found \"{statusText}\"");
            }
            var defect = status == GateCheckStatus.Fail ? defects.FirstOrDefault(d => d.Check == name) : null;
            return new GateCheck(name, status, Number(e, "value", at), Number(e, "threshold", at), Text(e, "detail", at),
                defect?.Cases ?? [], defect?.CaseCount ?? 0);
        }

        private GateDefect Defect(JsonElement e, string at) =>
            new(Text(e, "check", at), Text(e, "title", at), Text(e, "detail", at), Array(e, "cases", Case, at), Int(e, "case_count", at));

        private GateCaseRef Case(JsonElement e, string at) =>
            new(Text(e, "case_id", at), Text(e, "role", at), Text(e, "input", at), Text(e, "reason", at));

        private UatArtifactHeader Input(JsonElement e, string at) =>
            new(Text(e, "file", at), Text(e, "schema", at), NullableText(e, "run_id", at), NullableText(e, "engine", at), Time(e, "started_at", at), Int(e, "cases", at));

        private List<T> Array<T>(JsonElement parent, string name, Func<JsonElement, string, T> item, string at = "")
        {
            var array = Member(parent, name, at);
            Expect(array, JsonValueKind.Array, at + name, "an array");
            var list = new List<T>();
            var i = 0;
            foreach (var e in array.EnumerateArray())
            {
                var where = $"{at}{name}[{i++}]";
                Expect(e, JsonValueKind.Object, where, "an object");
                list.Add(item(e, where + "."));
            }
            return list;
        }

        private JsonElement Object(JsonElement parent, string name)
        {
            var e = Member(parent, name, "");
            Expect(e, JsonValueKind.Object, name, "an object");
            return e;
        }

        private string Text(JsonElement parent, string name, string at = "") =>
            NullableText(parent, name, at) ?? throw Fail(at + name, "expected a string, found null");

        private string? NullableText(JsonElement parent, string name, string at)
        {
            var e = Member(parent, name, at);
            if (e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            Expect(e, JsonValueKind.String, at + name, "a string");
            return e.GetString();
        }

        private bool Bool(JsonElement parent, string name) =>
            Member(parent, name, "").ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                var kind => throw Fail(name, $"expected true or false, found {Kind(kind)}"),
            };

        private int Int(JsonElement parent, string name, string at = "")
        {
            var e = Member(parent, name, at);
            Expect(e, JsonValueKind.Number, at + name, "a whole number");
            return e.TryGetInt32(out var value) && value >= 0 ? value : throw Fail(at + name, $"expected a whole number >= 0, found {e.GetRawText()}");
        }

        private double? Number(JsonElement parent, string name, string at = "")
        {
            var e = Member(parent, name, at);
            if (e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            Expect(e, JsonValueKind.Number, at + name, "a number or null");
            return e.GetDouble();
        }

        private DateTimeOffset? Time(JsonElement parent, string name, string at = "")
        {
            var text = NullableText(parent, name, at);
            if (text is null)
            {
                return null;
            }
            return DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value
                : throw Fail(at + name, $"expected an ISO 8601 timestamp like 2026-03-01T10:00:00Z, found \"{text}\"");
        }

        private JsonElement Member(JsonElement parent, string name, string at) =>
            parent.TryGetProperty(name, out var e) ? e : throw Fail(at + name, "required field missing");

        private void Expect(JsonElement e, JsonValueKind kind, string field, string what)
        {
            if (e.ValueKind != kind)
            {
                throw Fail(field, $"expected {what}, found {Kind(e.ValueKind)}");
            }
        }

        private GateReportException Fail(string field, string problem) => new(source, problem, field);

        private static string Kind(JsonValueKind kind) => kind switch
        {
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Undefined => "nothing",
            _ => kind.ToString().ToLowerInvariant(),
        };
    }
}
