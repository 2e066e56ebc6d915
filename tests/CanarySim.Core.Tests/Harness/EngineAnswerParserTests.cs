using CanarySim.Harness.Engines;

namespace CanarySim.Core.Tests.Harness;

public sealed class EngineAnswerParserTests
{
    [Test]
    public void Parses_a_plan()
    {
        var r = EngineAnswerParser.Parse(Engine.V2, """{"agent":"inbox_triage","steps":["a","b"],"tools":["t"],"dry_run":true}""", "v2");
        Assert.That(r.Agent, Is.EqualTo("inbox_triage"));
        Assert.That(r.Steps, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(r.Tools, Is.EqualTo(new[] { "t" }));
        Assert.That(r.DryRun, Is.True);
        Assert.That(r.Engine, Is.EqualTo(Engine.V2));
    }

    [Test]
    public void Parses_a_conversation_turn_into_dimensions()
    {
        var r = EngineAnswerParser.Parse(Engine.V2, """{"engineVersion":"v2","agentType":"SICK_CALLER","action":"ASK_QUESTION","nextSlot":"employer_phone","extractedData":{"employer_name":"Bunnings"},"llmCalls":0}""", "v2");
        Assert.That(r.Agent, Is.EqualTo("SICK_CALLER"));
        Assert.That(r.Dimensions["action"], Is.EqualTo("ASK_QUESTION"));
        Assert.That(r.Dimensions["next_slot"], Is.EqualTo("employer_phone"));
        Assert.That(r.Dimensions["engine_version"], Is.EqualTo("v2"));
        Assert.That(r.Dimensions["extracted_data"], Is.EqualTo("""{"employer_name":"Bunnings"}"""));
        Assert.That(r.Dimensions["llm_calls"], Is.EqualTo("0"));
    }

    [TestCase("{\"agent\": \"x\", \"steps\": [", "not valid JSON")]
    [TestCase("[1,2]", "expected a JSON object")]
    [TestCase("{\"result\":\"ok\"}", "neither 'agent'/'steps'")]
    [TestCase("{\"agent\":\"x\",\"steps\":\"a\"}", "field 'steps' must be an array")]
    [TestCase("{\"agent\":\"x\",\"steps\":[1]}", "steps[0] must be a string")]
    [TestCase("{\"agent\":\"x\",\"dry_run\":\"no\"}", "field 'dry_run' must be true or false")]
    [TestCase("{\"action\":3}", "field 'action' must be a string")]
    [TestCase("{\"action\":\"ASK_QUESTION\",\"extractedData\":[]}", "'extractedData' must be an object")]
    public void Malformed_answers_are_invalid_output_naming_the_problem(string body, string expected)
    {
        var e = Assert.Throws<InvalidEngineOutputException>(() => EngineAnswerParser.Parse(Engine.V2, body, "v2 engine at http://x/v2/plan"));
        Assert.That(e!.Message, Does.Contain(expected).And.Contain("v2 engine at http://x/v2/plan"));
    }

    [TestCase("nextSlot", "next_slot")]
    [TestCase("engineVersion", "engine_version")]
    [TestCase("dry_run", "dry_run")]
    [TestCase("action", "action")]
    public void Snake_case(string input, string expected) => Assert.That(EngineAnswerParser.SnakeCase(input), Is.EqualTo(expected));
}
