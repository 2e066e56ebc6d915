using System.Text;
using CanarySim.Core.Gating;
using static CanarySim.Core.Tests.Gating.UatJson;

namespace CanarySim.Core.Tests.Gating;

public sealed class UatArtifactReaderTests
{
    private const string Minimal = """
        {"schema":"canarysim.uat-raw/v1","cases":[{"case_id":"FIN-01","role":"ai.reader","started_at":"2026-02-19T10:00:05Z","passed":true}]}
        """;

    [Test]
    public void Reads_header_and_cases_with_spec_defaults()
    {
        var (header, cases) = Read(Minimal);
        Assert.That(header.Schema, Is.EqualTo(UatWire.SchemaV1));
        Assert.That(header.CaseCount, Is.EqualTo(1));
        var c = cases.Single();
        Assert.That(c, Is.EqualTo(new UatCase(0, "FIN-01", UatRole.Reader, UatRunKind.First, new DateTimeOffset(2026, 2, 19, 10, 0, 5, TimeSpan.Zero), true,
            OutputShapeOk: true, LatencyMs: null, WriteSafetyIncident: false, Corrected: false, Critical: false, Benchmark: "clear")));
    }

    [Test]
    public void Reads_every_field_and_ignores_unknown_ones()
    {
        var json = """
            {"runner":{"nested":[1,2,{"x":null}]},"schema":"canarysim.uat-raw/v1","run_id":"r1","engine":"v3_canary","started_at":"2026-02-19T10:00:00Z",
             "cases":[{"case_id":"WR-02","role":"ai.operator","run_kind":"diagnostic","started_at":"2026-02-19T10:00:05+01:00","passed":false,
                       "output_shape_ok":false,"latency_ms":1234.5,"write_safety_incident":true,"corrected":true,"critical":true,"benchmark":"ambiguous",
                       "tool_calls":[{"name":"cancel","args":{"doc":"DN-1"}}],"notes":"x"}],
             "trailer":{"k":"v"}}
            """;
        var (header, cases) = Read(json);
        Assert.That(header.RunId, Is.EqualTo("r1"));
        Assert.That(header.Engine, Is.EqualTo("v3_canary"));
        Assert.That(header.StartedAt, Is.EqualTo(UatJson.T0));
        Assert.That(cases.Single(), Is.EqualTo(new UatCase(0, "WR-02", UatRole.Operator, UatRunKind.Diagnostic, new DateTimeOffset(2026, 2, 19, 9, 0, 5, TimeSpan.Zero), false,
            false, 1234.5, true, true, true, "ambiguous")));
    }

    [Test]
    public void Rerun_is_an_alias_of_diagnostic()
    {
        var (_, cases) = Read(Artifact([Case("FIN-01", runKind: "rerun")]));
        Assert.That(cases.Single().RunKind, Is.EqualTo(UatRunKind.Diagnostic));
    }

    [Test]
    public void Timestamp_without_offset_is_read_as_utc()
    {
        var (_, cases) = Read(Minimal.Replace("10:00:05Z", "10:00:05", StringComparison.Ordinal));
        Assert.That(cases.Single().StartedAt, Is.EqualTo(new DateTimeOffset(2026, 2, 19, 10, 0, 5, TimeSpan.Zero)));
    }

    [TestCase(16)]
    [TestCase(37)]
    [TestCase(64 * 1024)]
    public void Tiny_buffers_read_the_same_cases_as_large_ones(int bufferBytes)
    {
        var cases = Enumerable.Range(0, 40).SelectMany(i => Pair($"CASE-{i:000}", minute: i, latency: i * 10.5)).ToList();
        cases[3]["tool_calls"] = System.Text.Json.Nodes.JsonNode.Parse("[{\"name\":\"cancel\",\"args\":{\"doc\":\"DN-1\",\"n\":[1,2,3]}}]");
        cases[5]["title"] = "unknown string field";
        cases[7]["passed"] = false;
        var json = Artifact(cases);
        var (_, big) = Read(json);
        var (header, small) = Read(json, bufferBytes);
        Assert.That(small, Is.EqualTo(big));
        Assert.That(header.CaseCount, Is.EqualTo(80));
    }

    [Test]
    public void Streams_lazily_case_by_case()
    {
        // A broken tail must not stop the first cases from being yielded before the error.
        var json = Artifact(Enumerable.Range(0, 500).SelectMany(i => Pair($"C-{i}")));
        var broken = json[..(json.Length / 2)];
        var reader = new UatArtifactReader(new MemoryStream(Encoding.UTF8.GetBytes(broken)), "raw.json", 1024);
        var seen = 0;
        Assert.Throws<UatArtifactException>(() =>
        {
            foreach (var unused in reader.ReadCases())
            {
                seen++;
            }
        });
        Assert.That(seen, Is.GreaterThan(100));
    }

    [Test]
    public void Malformed_json_names_line_byte_and_case()
    {
        var json = "{\n\"schema\":\"canarysim.uat-raw/v1\",\n\"cases\":[\n{\"case_id\":\"FIN-01\",\"role\":\"ai.reader\",\"started_at\":\"2026-02-19T10:00:05Z\",\"passed\":true},\n{\"case_id\":\"FIN-02\" \"role\":\"ai.reader\"}\n]}";
        var error = ReadError(json, 16);
        Assert.That(error.Line, Is.EqualTo(5));
        Assert.That(error.BytePositionInLine, Is.EqualTo(21));
        Assert.That(error.CaseIndex, Is.EqualTo(1));
        Assert.That(error.Message, Does.StartWith("raw.json line 5, byte 21 case #1: malformed JSON"));
    }

    [Test]
    public void Truncated_file_is_malformed()
    {
        var error = ReadError(Minimal[..^5]);
        Assert.That(error.Message, Does.Contain("malformed JSON"));
        Assert.That(error.Line, Is.EqualTo(1));
    }

    [TestCase("")]
    [TestCase("   \n\t ")]
    public void Empty_file_is_an_error(string content)
    {
        var error = ReadError(content);
        Assert.That(error.Message, Is.EqualTo("raw.json: file is empty; expected a canarysim.uat-raw/v1 JSON object"));
    }

    [Test]
    public void Empty_cases_array_is_an_error()
    {
        var error = ReadError(Artifact([]));
        Assert.That(error.Field, Is.EqualTo("cases"));
        Assert.That(error.Message, Does.Contain("expected at least one case result"));
    }

    [Test]
    public void Missing_cases_is_an_error()
    {
        var error = ReadError("""{"schema":"canarysim.uat-raw/v1"}""");
        Assert.That(error.Field, Is.EqualTo("cases"));
        Assert.That(error.Message, Does.Contain("missing required field"));
    }

    [TestCase("canarysim.uat-raw/v2")]
    [TestCase("phase8.raw")]
    public void Unknown_schema_version_is_an_error(string schema)
    {
        var error = ReadError(Artifact([Case("FIN-01")], schema: schema));
        Assert.That(error.Field, Is.EqualTo("schema"));
        Assert.That(error.Message, Is.EqualTo($"raw.json field 'schema': unknown schema version \"{schema}\"; expected \"canarysim.uat-raw/v1\""));
    }

    [Test]
    public void Missing_schema_is_an_error()
    {
        var error = ReadError("""{"cases":[{"case_id":"FIN-01","role":"ai.reader","started_at":"2026-02-19T10:00:05Z","passed":true}]}""");
        Assert.That(error.Field, Is.EqualTo("schema"));
    }

    [Test]
    public void Top_level_must_be_an_object()
    {
        var error = ReadError("[1,2]");
        Assert.That(error.Message, Does.Contain("expected a JSON object at the top level"));
    }

    [Test]
    public void Trailing_content_is_malformed()
    {
        var error = ReadError(Minimal + " {}");
        Assert.That(error.Message, Does.Contain("malformed JSON").Or.Contain("unexpected content"));
    }

    [TestCase("case_id", "missing required field; expected a case id")]
    [TestCase("role", "missing required field; expected \"ai.reader\" or \"ai.operator\"")]
    [TestCase("started_at", "missing required field; expected an ISO-8601 timestamp")]
    [TestCase("passed", "missing required field; expected true or false")]
    public void Missing_required_case_field_names_case_and_field(string field, string expected)
    {
        var first = Case("FIN-01");
        var second = Case("SAL-01");
        second.Remove(field);
        var error = ReadError(Artifact([first, second]));
        Assert.That(error.CaseIndex, Is.EqualTo(1));
        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.CaseId, Is.EqualTo(field == "case_id" ? null : "SAL-01"));
        Assert.That(error.Message, Does.Contain(expected));
        Assert.That(error.Message, Does.StartWith(field == "case_id" ? "raw.json case #1 field" : "raw.json case #1 (SAL-01) field"));
    }

    [TestCase("passed", "\"yes\"", "expected true or false, found the string \"yes\"")]
    [TestCase("latency_ms", "\"1200ms\"", "expected a non-negative number of milliseconds, found the string \"1200ms\"")]
    [TestCase("latency_ms", "-5", "expected a non-negative number of milliseconds, found the number -5")]
    [TestCase("case_id", "12", "expected a string, found the number 12")]
    [TestCase("critical", "[true]", "expected true or false, found an array")]
    [TestCase("started_at", "\"yesterday\"", "expected an ISO-8601 timestamp such as 2026-02-19T10:00:05Z, found \"yesterday\"")]
    public void Wrong_type_names_case_field_and_expectation(string field, string value, string expected)
    {
        var json = Artifact([Case("FIN-01"), Case("STK-01", UatWire.Operator)]);
        var marker = "\"" + field + "\":";
        var lastCase = json.LastIndexOf("{\"case_id\"", StringComparison.Ordinal);
        var at = json.IndexOf(marker, lastCase, StringComparison.Ordinal);
        var end = json.IndexOfAny([',', '}'], at + marker.Length);
        json = json[..(at + marker.Length)] + value + json[end..];
        var error = ReadError(json);
        Assert.That(error.CaseIndex, Is.EqualTo(1));
        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.Message, Does.EndWith(expected));
    }

    [Test]
    public void Unknown_run_kind_is_an_error()
    {
        var error = ReadError(Artifact([Case("FIN-01", runKind: "retry")]));
        Assert.That(error.Field, Is.EqualTo("run_kind"));
        Assert.That(error.Message, Is.EqualTo("raw.json case #0 (FIN-01) field 'run_kind': unknown run_kind \"retry\"; expected \"first\" or \"diagnostic\" (alias \"rerun\")"));
    }

    [Test]
    public void Unknown_role_is_an_error()
    {
        var error = ReadError(Artifact([Case("FIN-01", role: "ai.admin")]));
        Assert.That(error.Message, Is.EqualTo("raw.json case #0 (FIN-01) field 'role': unknown role \"ai.admin\"; expected \"ai.reader\" or \"ai.operator\""));
    }

    [Test]
    public void Duplicate_first_run_in_one_file_is_an_error_naming_both_cases()
    {
        var error = ReadError(Artifact([Case("FIN-01"), Case("FIN-01", UatWire.Operator), Case("FIN-01", minute: 5)]));
        Assert.That(error.CaseIndex, Is.EqualTo(2));
        Assert.That(error.Message, Does.Contain("duplicate first-run result for (FIN-01, ai.reader); case #0 already is its first run"));
    }

    [Test]
    public void Diagnostic_reruns_of_the_same_case_are_allowed()
    {
        var (_, cases) = Read(Artifact([Case("FIN-01"), Case("FIN-01", minute: 5, runKind: "diagnostic"), Case("FIN-01", minute: 9, runKind: "rerun")]));
        Assert.That(cases, Has.Count.EqualTo(3));
    }

    [Test]
    public void Case_must_be_an_object()
    {
        var error = ReadError("""{"schema":"canarysim.uat-raw/v1","cases":["FIN-01"]}""");
        Assert.That(error.CaseIndex, Is.EqualTo(0));
        Assert.That(error.Message, Does.Contain("expected a case object, found a string"));
    }

    [Test]
    public void Utf8_byte_order_mark_is_accepted()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(Minimal)).ToArray();
        var reader = new UatArtifactReader(new MemoryStream(bytes), "bom.json");
        Assert.That(reader.ReadCases().Count(), Is.EqualTo(1));
    }
}
