using System.Text.Json.Nodes;
using CanarySim.Harness.Rehearsals;
using CanarySim.Harness.WireMock;

namespace CanarySim.Core.Tests.Harness;

/// <summary>WireMock JSON mappings → WireMock.Net: what is supported translates, the rest is refused by name.</summary>
public sealed class MappingTranslatorTests
{
    [Test]
    public void Every_fixture_mapping_translates()
    {
        var count = 0;
        var scenarios = 0;
        foreach (var file in Directory.GetFiles(RepoPaths.Fixture("wiremock"), "*.json", SearchOption.AllDirectories))
        {
            foreach (var mapping in WireMockAdmin.ReadMappingFile(file, new Uri("http://127.0.0.1:1/")))
            {
                var translated = MappingTranslator.Translate(mapping);
                count++;
                scenarios += translated.Scenario is null ? 0 : 1;
            }
        }
        Assert.That(count, Is.GreaterThanOrEqualTo(51));
        Assert.That(scenarios, Is.GreaterThanOrEqualTo(28));
    }

    [TestCase("""{"request": {"urlPath": "/a", "queryParameters": {}}, "response": {}}""", "request: unknown or unsupported field 'queryParameters'")]
    [TestCase("""{"name": "n", "request": {"urlPath": "/a"}, "response": {"fault": "SOMETHING"}}""", "mapping \"n\": response: fault: 'SOMETHING' is not one of")]
    [TestCase("""{"request": {"urlPath": "/a"}, "response": {"body": "{{randomValue length=3}}", "transformers": ["response-template"]}}""", "unsupported template '{{randomValue length=3}}'")]
    [TestCase("""{"request": {"urlPath": "/a"}, "response": {"transformers": ["other"], "body": "x"}}""", "transformers: 'other' is not supported")]
    [TestCase("""{"request": {"urlPath": "/a", "bodyPatterns": [{"equalToXml": "<a/>"}]}, "response": {}}""", "bodyPatterns[0]: 'equalToXml' is not supported")]
    [TestCase("""{"request": {"urlPath": "/a", "bodyPatterns": [{"matchesJsonPath": "$[?(@.a =="}]}, "response": {}}""", "is not a JSONPath expression")]
    [TestCase("""{"request": {"method": 42, "urlPath": "/a"}, "response": {}}""", "request: method: expected a string, got 42")]
    [TestCase("""{"request": {"method": "GET"}, "response": {}}""", "request: urlPath: required")]
    [TestCase("""{"scenarioName": "s", "request": {"urlPath": "/a"}, "response": {}}""", "needs a requiredScenarioState")]
    [TestCase("""{"request": {"urlPath": "/a"}, "response": {"delayDistribution": {"type": "lognormal", "median": 80}}}""", "only {\"type\": \"uniform\"")]
    [TestCase("""{"request": {"urlPath": "/a"}, "response": {"fault": "EMPTY_RESPONSE", "body": "x"}}""", "a fault answers instead of a body")]
    public void Unsupported_or_invalid_mappings_are_refused_naming_the_field(string json, string expected)
    {
        var e = Assert.Throws<WireMockAdminException>(() => MappingTranslator.Translate(JsonNode.Parse(json)!.AsObject()));
        Assert.That(e!.Message, Does.Contain(expected));
    }

    [Test]
    public void A_template_renders_json_path_values_escaped_inside_json_strings()
    {
        var template = ResponseTemplate.Parse("""{"agent":"{{jsonPath request.body '$.agentType'}}","n":"{{jsonPath request.body '$.missing'}}"}""", jsonStrings: true, "t");
        Assert.That(template.Render("""{"agentType":"say \"hi\""}"""), Is.EqualTo("""{"agent":"say \"hi\"","n":""}"""));
        Assert.That(template.Render("not json"), Is.EqualTo("""{"agent":"","n":""}"""));
    }

    [TestCase("$.simulation", """{"simulation":{"v1":"ok"}}""", null, true)]
    [TestCase("$.simulation", """{"agentType":"a"}""", null, false)]
    [TestCase("$.simulation.v2", """{"simulation":{"v2":null}}""", null, false)]
    [TestCase("$[?(@.agentType == 'SICK_CALLER')]", """{"agentType":"SICK_CALLER","slots":{}}""", null, true)]
    [TestCase("$[?(@.agentType == 'SICK_CALLER')]", """{"agentType":"STOCK_CHECKER","slots":{}}""", null, false)]
    [TestCase("$.simulation.v2", """{"simulation":{"v2":"http-500"}}""", "http-500", true)]
    [TestCase("$.simulation.v2", """{"simulation":{"v2":"timeout"}}""", "http-500", false)]
    [TestCase("$.request", """{"request":17}""", "17", true)]
    public void Json_path_matches_as_wiremock_does(string expression, string body, string? equalTo, bool expected) =>
        Assert.That(JsonBodyPath.Matches(body, expression, equalTo), Is.EqualTo(expected));
}
