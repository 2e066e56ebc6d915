using CanarySim.Core.Detection;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Tests.Detection;

public sealed class SampleJsonTests
{
    private const string SpecExample =
        """{"engine":"v2","at":"2026-02-19T10:00:00Z","latency_ms":812,"quality":93.5,"cost_cents":1.9,"error":false,"fallback":false,"policy_violation":false,"complaint":false}""";

    [Test]
    public void The_spec_example_parses()
    {
        var s = SampleJson.Parse(SpecExample);
        Assert.That(s, Is.EqualTo(new Sample { Engine = Engine.V2, At = TestClock.Epoch, LatencyMs = 812, Quality = 93.5, CostCents = 1.9 }));
    }

    [Test]
    public void Writing_gives_the_spec_field_names_and_round_trips()
    {
        var s = new Sample
        {
            Engine = Engine.V1, At = TestClock.Epoch.AddMilliseconds(250), LatencyMs = 812.5, Quality = 93.5, CostCents = 1.9,
            Error = true, Fallback = true, PolicyViolation = true, Complaint = true, Tokens = 321, Agent = "planner", Scenario = "FIN-01", Role = "ops",
        };
        var json = SampleJson.Write(s);
        Assert.That(json, Is.EqualTo("""{"engine":"v1","at":"2026-02-19T10:00:00.25Z","latency_ms":812.5,"quality":93.5,"cost_cents":1.9,"error":true,"fallback":true,"policy_violation":true,"complaint":true,"tokens":321,"agent":"planner","scenario":"FIN-01","role":"ops"}"""));
        Assert.That(SampleJson.Parse(json), Is.EqualTo(s));
        Assert.That(SampleJson.Write(SampleJson.Parse(SpecExample)), Does.StartWith(SpecExample[..^1]));
    }

    [TestCase("{\"engine\":\"v2\"", null, "malformed JSON")]
    [TestCase("[1,2]", null, "expected a JSON object")]
    [TestCase("{\"engine\":\"v3\",\"at\":\"2026-02-19T10:00:00Z\",\"latency_ms\":1,\"quality\":1,\"cost_cents\":1}", "engine", "expected \"v1\" or \"v2\", got \"v3\"")]
    [TestCase("{\"engine\":\"v2\",\"latency_ms\":1,\"quality\":1,\"cost_cents\":1}", "at", "required field is missing")]
    [TestCase("{\"engine\":\"v2\",\"at\":\"yesterday\",\"latency_ms\":1,\"quality\":1,\"cost_cents\":1}", "at", "ISO 8601")]
    [TestCase("{\"engine\":\"v2\",\"at\":\"2026-02-19T10:00:00Z\",\"latency_ms\":\"fast\",\"quality\":1,\"cost_cents\":1}", "latency_ms", "expected a number, got \"fast\"")]
    [TestCase("{\"engine\":\"v2\",\"at\":\"2026-02-19T10:00:00Z\",\"latency_ms\":-1,\"quality\":1,\"cost_cents\":1}", "latency_ms", ">= 0")]
    [TestCase("{\"engine\":\"v2\",\"at\":\"2026-02-19T10:00:00Z\",\"latency_ms\":1,\"quality\":120,\"cost_cents\":1}", "quality", "0..100")]
    [TestCase("{\"engine\":\"v2\",\"at\":\"2026-02-19T10:00:00Z\",\"latency_ms\":1,\"quality\":1,\"cost_cents\":1,\"error\":\"no\"}", "error", "expected true or false")]
    [TestCase("{\"engine\":\"v2\",\"at\":\"2026-02-19T10:00:00Z\",\"latency\":1,\"quality\":1,\"cost_cents\":1}", "latency", "unknown field")]
    public void Bad_lines_name_the_file_line_and_field(string line, string? field, string problem)
    {
        var text = SpecExample + "\n\n" + line + "\n";
        var ex = Assert.Throws<SampleFormatException>(() => SampleJson.ReadLines(new StringReader(text), "runs.jsonl").ToList());
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Line, Is.EqualTo(3));
            Assert.That(ex.Field, Is.EqualTo(field));
            Assert.That(ex.Message, Does.StartWith("runs.jsonl:3: " + (field is null ? "" : field + ": ")));
            Assert.That(ex.Message, Does.Contain(problem));
        });
    }

    [Test]
    public void Malformed_json_says_where_on_the_line_once_and_one_based()
    {
        var ex = Assert.Throws<SampleFormatException>(() => SampleJson.ReadLines(new StringReader("{\"engine\": \"v2\", \"at\": \n"), "runs.jsonl").ToList());
        Assert.That(ex!.Message, Is.EqualTo("runs.jsonl:1: malformed JSON at byte 24 of the line: the line ends inside an object or array (a '}' or ']' is missing, or the line was cut short)."));
        Assert.That(ex.Message, Does.Not.Contain("LineNumber").And.Not.Contain("BytePositionInLine"));
    }

    [Test]
    public void Blank_lines_are_skipped_and_optional_fields_default()
    {
        var text = "\n" + """{"engine":"v1","at":"2026-02-19T10:00:00+01:00","latency_ms":5,"quality":50,"cost_cents":0}""" + "\n   \n";
        var s = SampleJson.ReadLines(new StringReader(text), "x").Single();
        Assert.That(s.At, Is.EqualTo(TestClock.Epoch.AddHours(-1)));
        Assert.That((s.Error, s.Fallback, s.Tokens, s.Agent), Is.EqualTo((false, false, 0, (string?)null)));
    }
}
