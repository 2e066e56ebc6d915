using System.Text;
using CanarySim.Core.Gating;
using static CanarySim.Core.Tests.Gating.UatJson;

namespace CanarySim.Core.Tests.Gating;

/// <summary>
/// The raw artifact reader's error messages as a user reads them (file, case, field, expectation), the byte
/// order mark, and reading through a buffer smaller than a token.
/// </summary>
public sealed class UatArtifactReaderMessageTests
{
    private const string Schema = "\"schema\":\"canarysim.uat-raw/v1\"";
    private const string FirstCase = """{"case_id":"FIN-01","role":"ai.reader","started_at":"2026-02-19T10:00:05Z","passed":true}""";
    private const string Minimal = "{" + Schema + ",\"cases\":[" + FirstCase + "]}";

    private static UatArtifactException BytesError(byte[] bytes, int bufferBytes = GateOptions.DefaultReaderBufferBytes) =>
        Assert.Throws<UatArtifactException>(() => new UatArtifactReader(new MemoryStream(bytes), "raw.json", bufferBytes).ReadCases().ToList())!;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [TestCase("{\"schema\":null,\"cases\":[" + FirstCase + "]}", "raw.json field 'schema': expected \"canarysim.uat-raw/v1\", found null")]
    [TestCase("{\"cases\":[" + FirstCase + "]}", "raw.json field 'schema': missing required field; expected \"canarysim.uat-raw/v1\"")]
    [TestCase("{" + Schema + "}", "raw.json field 'cases': missing required field; expected an array of case results")]
    [TestCase("{" + Schema + ",\"cases\":[]}", "raw.json field 'cases': is empty; expected at least one case result")]
    [TestCase("{" + Schema + ",\"cases\":{}}", "raw.json field 'cases': expected an array of case results, found an object")]
    [TestCase("{" + Schema + ",\"cases\":[" + FirstCase + "],\"cases\":[" + FirstCase + "]}", "raw.json field 'cases': appears twice; expected one cases array")]
    [TestCase("{" + Schema + ",\"run_id\":7,\"cases\":[" + FirstCase + "]}", "raw.json field 'run_id': expected a string, found a number")]
    [TestCase("{" + Schema + ",\"engine\":true,\"cases\":[" + FirstCase + "]}", "raw.json field 'engine': expected a string, found a boolean")]
    [TestCase("{" + Schema + ",\"started_at\":\"yesterday\",\"cases\":[" + FirstCase + "]}",
        "raw.json field 'started_at': expected an ISO-8601 timestamp such as 2026-02-19T10:00:00Z, found \"yesterday\"")]
    [TestCase("\"FIN-01\"", "raw.json: expected a JSON object at the top level, found a string")]
    [TestCase("{" + Schema + ",\"cases\":[null]}", "raw.json case #0: expected a case object, found null")]
    public void A_broken_artifact_is_refused_naming_the_field_and_what_was_expected(string json, string message)
    {
        Assert.That(ReadError(json).Message, Is.EqualTo(message));
    }

    [Test]
    public void An_unknown_schema_after_the_cases_is_still_refused()
    {
        var json = "{\"cases\":[" + FirstCase + "],\"schema\":\"canarysim.uat-raw/v2\"}";

        Assert.That(ReadError(json).Message, Is.EqualTo("raw.json field 'schema': unknown schema version \"canarysim.uat-raw/v2\"; expected \"canarysim.uat-raw/v1\""));
    }

    [TestCase("\"case_id\":\"\"", "raw.json case #0 field 'case_id': expected a non-empty case id such as FIN-01")]
    [TestCase("\"case_id\":\"FIN-01\",\"benchmark\":{\"case_id\":\"EVIL\"}", "raw.json case #0 (FIN-01) field 'benchmark': expected a string, found an object")]
    [TestCase("\"case_id\":\"FIN-01\",\"benchmark\":5,\"critical\":\"no\",\"latency_ms\":\"slow\",\"run_kind\":3",
        "raw.json case #0 (FIN-01) field 'benchmark': expected a string, found the number 5")]
    [TestCase("\"case_id\":\"FIN-01\",\"critical\":\"no\",\"latency_ms\":\"slow\",\"run_kind\":3",
        "raw.json case #0 (FIN-01) field 'critical': expected true or false, found the string \"no\"")]
    [TestCase("\"case_id\":\"FIN-01\",\"latency_ms\":\"slow\",\"passed\":\"yes\"",
        "raw.json case #0 (FIN-01) field 'latency_ms': expected a non-negative number of milliseconds, found the string \"slow\"")]
    public void The_first_problem_of_a_case_is_the_one_reported(string fields, string message)
    {
        var json = "{" + Schema + ",\"cases\":[{" + fields + ",\"role\":\"ai.reader\",\"started_at\":\"2026-02-19T10:00:05Z\",\"passed\":true}]}";

        Assert.That(ReadError(json).Message, Is.EqualTo(message));
    }

    [Test]
    public void A_second_first_run_of_a_case_is_refused_with_the_whole_explanation()
    {
        var error = ReadError(Artifact([Case("FIN-01"), Case("FIN-01", UatWire.Operator), Case("FIN-01", minute: 5)]));

        Assert.That(error.Message, Is.EqualTo(
            "raw.json case #2 (FIN-01) field 'run_kind': duplicate first-run result for (FIN-01, ai.reader); case #0 already is its first run. Mark reruns \"run_kind\": \"diagnostic\""));
    }

    [Test]
    public void Malformed_json_inside_a_case_names_line_byte_and_case_without_the_parsers_own_position()
    {
        var json = "{\n\"schema\":\"canarysim.uat-raw/v1\",\n\"cases\":[\n" + FirstCase + ",\n{\"case_id\":\"FIN-02\" \"role\":\"ai.reader\"}\n]}";

        var error = ReadError(json, 16);

        Assert.That(error.Message, Is.EqualTo("raw.json line 5, byte 21 case #1: malformed JSON: '\"' is invalid after a value. Expected either ',', '}', or ']'."));
    }

    [Test]
    public void Malformed_json_outside_the_cases_names_no_case()
    {
        var error = ReadError("{\"schema\":\"canarysim.uat-raw/v1\" \"cases\":[]}");

        Assert.That((error.CaseIndex, error.Line), Is.EqualTo(((int?)null, (long?)1)));
        Assert.That(error.Message, Is.EqualTo("raw.json line 1, byte 34: malformed JSON: '\"' is invalid after a value. Expected either ',', '}', or ']'."));
    }

    [TestCase(GateOptions.DefaultReaderBufferBytes)]
    [TestCase(16)]
    public void Content_after_the_top_level_object_is_refused_even_past_a_long_run_of_blanks(int bufferBytes)
    {
        var error = ReadError(Minimal + new string(' ', 40) + "x", bufferBytes);

        Assert.That(error.Message, Does.StartWith("raw.json line 1, byte ").And.Contain(": malformed JSON: 'x' is invalid after a single JSON value. Expected end of data."));
    }

    [Test]
    public void A_byte_order_mark_alone_is_an_empty_file()
    {
        Assert.That(BytesError([0xEF, 0xBB, 0xBF]).Message, Is.EqualTo("raw.json: file is empty; expected a canarysim.uat-raw/v1 JSON object"));
    }

    [TestCase(new byte[] { 0xEE, 0xBB, 0xBF })]
    [TestCase(new byte[] { 0xEF, 0xBA, 0xBF })]
    [TestCase(new byte[] { 0xEF, 0xBB, 0xBE })]
    public void Three_bytes_that_are_not_a_byte_order_mark_are_not_skipped(byte[] prefix)
    {
        var error = BytesError([.. prefix, .. Utf8(Minimal)]);

        Assert.That((error.Line, error.BytePositionInLine), Is.EqualTo(((long?)1, (long?)1)));
        Assert.That(error.Message, Does.StartWith("raw.json line 1, byte 1: malformed JSON: "));
    }

    [Test]
    public void A_stream_that_fails_is_named_with_the_reason()
    {
        var error = Assert.Throws<UatArtifactException>(() => new UatArtifactReader(new FailingStream(), "raw.json").ReadCases().ToList())!;

        Assert.That(error.Message, Is.EqualTo("raw.json: could not be read: the disk went away"));
        Assert.That(error.InnerException, Is.TypeOf<IOException>());
    }

    [Test]
    public void The_reader_needs_a_stream_and_a_buffer_of_at_least_16_bytes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new UatArtifactReader(null!, "raw.json"), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("stream"));
            Assert.That(() => new UatArtifactReader(new MemoryStream(), "raw.json", 15), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("bufferBytes"));
            Assert.That(new UatArtifactReader(new MemoryStream(Utf8(Minimal)), "raw.json", 16).ReadCases().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public void Read_all_returns_the_header_and_every_case()
    {
        var (header, cases) = UatArtifactReader.ReadAll(new MemoryStream(Utf8(Artifact([Case("FIN-01"), Case("FIN-02")], runId: "r-7"))), "raw.json");

        Assert.That((header.Source, header.RunId, header.CaseCount), Is.EqualTo(("raw.json", "r-7", 2)));
        Assert.That(cases.Select(c => c.CaseId), Is.EqualTo(new[] { "FIN-01", "FIN-02" }));
    }

    [Test]
    public void A_timestamp_with_fractional_seconds_is_read_to_the_tick()
    {
        var (_, cases) = Read(Minimal.Replace("10:00:05Z", "10:00:05.2500001+02:00", StringComparison.Ordinal));

        Assert.That(cases.Single().StartedAt, Is.EqualTo(new DateTimeOffset(2026, 2, 19, 8, 0, 5, TimeSpan.Zero).AddTicks(2_500_001)));
    }

    [Test]
    public void Blanks_and_header_values_longer_than_the_buffer_are_read_as_with_a_large_buffer()
    {
        var blanks = new string(' ', 50);
        var json = blanks + "{\"runner\":{\"nested\":[1,2,{\"x\":null}],\"name\":\"a runner with a long name\"}," + Schema + ",\"cases\":[" + blanks +
            string.Join("," + blanks, Enumerable.Range(0, 5).Select(i => FirstCase.Replace("FIN-01", $"FIN-0{i}", StringComparison.Ordinal))) + blanks + "]}" + blanks;

        var (_, small) = Read(json, 16);

        Assert.That(small.Select(c => c.CaseId), Is.EqualTo(new[] { "FIN-00", "FIN-01", "FIN-02", "FIN-03", "FIN-04" }));
        Assert.That(small, Is.EqualTo(Read(json).Cases));
    }

    [Test]
    public void The_buffer_grows_only_to_fit_the_largest_case()
    {
        var json = Artifact(Enumerable.Range(0, 300).Select(i => Case($"CASE-{i:000}", minute: i % 60)));
        var stream = new RecordingStream(Utf8(json));

        var cases = new UatArtifactReader(stream, "raw.json", 512).ReadCases().Count();

        Assert.That(cases, Is.EqualTo(300));
        Assert.That(json.Length, Is.GreaterThan(50_000), "the file is many times the buffer");
        Assert.That(stream.LargestRead, Is.LessThanOrEqualTo(512), "each case (about 250 bytes) fits in the first buffer");
    }

    /// <summary>A file whose disk fails on the first read.</summary>
    private sealed class FailingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("the disk went away");
    }

    /// <summary>A file that records the largest read asked of it.</summary>
    private sealed class RecordingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public int LargestRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            LargestRead = Math.Max(LargestRead, count);
            return base.Read(buffer, offset, count);
        }
    }
}
