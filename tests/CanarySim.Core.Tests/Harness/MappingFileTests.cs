using System.Text.Json.Nodes;
using CanarySim.Harness.Scenarios;
using CanarySim.Harness.WireMock;

namespace CanarySim.Core.Tests.Harness;

/// <summary>Mapping files in WireMock.Net's own format: what the harness accepts loads, the rest is refused naming the file, line and field.</summary>
public sealed class MappingFileTests
{
    private static readonly string[] FixtureFiles = Directory.GetFiles(RepoPaths.Fixture("wiremock"), "*.json", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}schema{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToArray();

    [Test]
    public void Every_fixture_mapping_passes_the_checks_and_sets_a_priority()
    {
        var mappings = FixtureFiles.SelectMany(f => MappingFile.Read(f, new Uri("http://127.0.0.1:1/"))).ToList();
        Assert.That(FixtureFiles, Has.Length.EqualTo(19));
        Assert.That(mappings, Has.Count.EqualTo(51));
        Assert.That(mappings.Count(m => m["Scenario"] is not null), Is.EqualTo(28));
        Assert.That(mappings.Select(m => m["Priority"]!.GetValue<long>()), Has.All.InRange(1, 5));
        Assert.That(mappings.Select(m => m.ToJsonString()), Has.None.Contains(MappingFile.BaseUrlPlaceholder));
    }

    [Test]
    public void The_published_schema_is_the_one_applied()
    {
        var published = File.ReadAllText(RepoPaths.Fixture("wiremock", "schema", "mappings.schema.json"));
        Assert.That(MappingSchema.Text, Is.EqualTo(published));
    }

    // The first line of each mapping is a valid base; each case breaks one thing.
    [TestCase("""{"Priorty": 1, "Request": {"Path": "/a"}, "Response": {}}""", "unknown field 'Priorty' (did you mean 'Priority'?)")]
    [TestCase("""{"Request": {"Path": "/a"}, "Response": {}}""", "Priority: missing required field 'Priority'")]
    [TestCase("""{"Title": "n", "Priority": 1, "Request": {"Path": "/a"}, "Response": {"Headers": {"X-CanarySim-Fault": "CONNECTION_RESET"}}}""", "mapping [0] \"n\": Response.Headers.X-CanarySim-Fault: expected one of CONNECTION_RESET_BY_PEER")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a"}, "Response": {"BodyAsJson": {"a": ["{{randomValue length=3}}"]}, "UseTransformer": true}}""", "Response.BodyAsJson.a[0]: unsupported template '{{randomValue length=3}}'")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a"}, "Response": {"BodyAsJson": {"a": "{{JsonPath.SelectToken request.body '$.a'}}"}}}""", "but UseTransformer is not true")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a"}, "Response": {"Body": "{{JsonPath.SelectToken request.body '$.a'}}", "UseTransformer": true}}""", "Response.Body: '{{JsonPath.SelectToken request.body '$.a'}}': templates are rendered only inside the strings of BodyAsJson")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a"}, "Response": {"Body": "x", "UseTransformer": true, "TransformerType": "Scriban"}}""", "Response.TransformerType: expected 'Handlebars', got 'Scriban'")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a", "Body": {"Matcher": {"Name": "JmesPathMatchr", "Pattern": "a == 'b'"}}}, "Response": {}}""", "Request.Body.Matcher.Name: expected one of JsonPartialMatcher, JmesPathMatcher, RegexMatcher, WildcardMatcher, ExactMatcher, got 'JmesPathMatchr' (did you mean 'JmesPathMatcher'?)")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a", "Body": {"Matcher": {"Name": "JmesPathMatcher", "Pattern": "a == == 'b'"}}}, "Response": {}}""", "Request.Body.Matcher.Pattern: 'a == == 'b'' is not a JMESPath expression")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a", "Body": {"Matcher": {"Name": "JsonPartialMatcher", "Pattern": "agentType == 'b'"}}}, "Response": {}}""", "Request.Body.Matcher.Pattern: expected an object of fields")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a", "Body": {"Matcher": {"Name": "JsonPartialMatcher", "Pattern": {}}}}, "Response": {}}""", "Request.Body.Matcher.Pattern: expected a non-empty value")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a", "Body": {"Matcher": {"Name": "JsonPartialMatcher", "Pattern": {"simulation.v2": "x"}}}}, "Response": {}}""", "Request.Body.Matcher.Pattern.simulation.v2: 'simulation.v2' is not a plain field name")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a", "Body": {"Matcher": {"Name": "JsonPartialMatcher", "Pattern": {"a": {"b": ["x"]}}}}}, "Response": {}}""", "Request.Body.Matcher.Pattern.a.b: expected text, a number, true/false or an object, got a list")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a", "Body": {"Matchers": [{"Name": "JsonPartialMatcher", "Pattern": {"a": "(x"}, "Regex": true}]}}, "Response": {}}""", "Request.Body.Matchers[0].Pattern.a: '(x' is not a regular expression")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a", "Body": {"Matcher": {"Name": "RegexMatcher", "Pattern": "x", "Regex": true}}}, "Response": {}}""", "Request.Body.Matcher.Regex: only JsonPartialMatcher reads 'Regex'")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a", "Body": {"Matcher": {"Name": "JsonPartialMatcher", "Pattern": 3}}}, "Response": {}}""", "Request.Body.Matcher.Pattern: expected text or an object, got 3")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a", "Methods": 42}, "Response": {}}""", "Request.Methods: expected a list, got 42")]
    [TestCase("""{"Priority": 1, "Request": {"Methods": ["GET"]}, "Response": {}}""", "Request.Path: missing required field 'Path'")]
    [TestCase("""{"Priority": 1, "Scenario": "s", "Request": {"Path": "/a"}, "Response": {}}""", "Scenario: 'Scenario' needs 'WhenStateIs' beside it")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a"}, "Response": {"MinimumRandomDelay": 80}}""", "'MinimumRandomDelay' needs 'MaximumRandomDelay' beside it")]
    [TestCase("""{"Priority": 1, "Request": {"Path": "/a"}, "Response": {"Headers": {"X-CanarySim-Fault": "EMPTY_RESPONSE"}, "Body": "x"}}""", "Response.Body: a fault (X-CanarySim-Fault: EMPTY_RESPONSE) answers instead of a body or proxy")]
    [TestCase("""{"Priority": 0, "Request": {"Path": "/a*"}, "Response": {}}""", "Priority: expected a priority between 1 and 100, got 0")]
    public void Unsupported_or_invalid_mappings_are_refused_naming_the_field(string json, string expected)
    {
        var e = Assert.Throws<WireMockAdminException>(() => MappingFile.Check(JsonNode.Parse(json)!.AsObject()));
        Assert.That(e!.Message, Does.Contain(expected));
    }

    [Test]
    public void A_bad_file_names_the_file_and_the_line_of_every_problem()
    {
        var f = Path.Combine(Path.GetTempPath(), $"bad-mapping-{Guid.NewGuid():N}.json");
        File.WriteAllText(f, """
            [
              {
                "Title": "first",
                "Priority": 1,
                "Request": { "Path": "/a" },
                "Response": { "StatusCode": 200 }
              },
              {
                "Title": "second",
                "Priority": 1,
                "Request": { "Path": "/b" },
                "Response": {
                  "StatusCod": 500,
                  "Delay": "3s"
                }
              }
            ]
            """);
        try
        {
            var e = Assert.Throws<WireMockAdminException>(() => MappingFile.Read(f));
            Assert.That(e!.Message, Does.Contain($"{f}: line 13: mapping [1] \"second\": Response.StatusCod: unknown field 'StatusCod' (did you mean 'StatusCode'?)"));
            Assert.That(e.Message, Does.Contain($"{f}: line 14: mapping [1] \"second\": Response.Delay: expected a whole number, got '3s'"));
            Assert.That(e.Message, Does.Not.Contain("\"first\""));
        }
        finally
        {
            File.Delete(f);
        }
    }

    [Test]
    public void Invalid_json_and_duplicate_fields_name_the_file_and_line()
    {
        var f = Path.Combine(Path.GetTempPath(), $"bad-mapping-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(f, "[{\n  \"Request\": {\n  oops\n}]");
            Assert.That(Assert.Throws<WireMockAdminException>(() => MappingFile.Read(f))!.Message, Does.Contain(f).And.Contain("line 3"));
            File.WriteAllText(f, "{\n  \"Priority\": 1,\n  \"Request\": {\"Path\": \"/a\"},\n  \"Priority\": 2,\n  \"Response\": {}\n}");
            Assert.That(Assert.Throws<WireMockAdminException>(() => MappingFile.Read(f))!.Message, Does.Contain($"{f}: line 4: mapping [0]: Priority: field 'Priority' is written twice"));
        }
        finally
        {
            File.Delete(f);
        }
    }
}
