using Json.Schema;

namespace CanarySim.Service.Tests.Api;

/// <summary>
/// Item 11: /openapi/v1.json had no security schemes and a samples schema that said "array only" and
/// marked optional fields required. Here real requests are validated against the served document: every
/// body the API accepts is valid against its schema, every body it refuses for its shape is invalid.
/// </summary>
[TestFixture]
public sealed class OpenApiContractTests : GuardHostFixture
{
    private JsonObject _document = null!;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Guard:BackgroundEvaluation"] = "false";
        settings["Guard:EvaluateOnIngest"] = "false";
    }

    [SetUp]
    public async Task LoadDocument()
    {
        var response = await Host.Client.GetAsync("/openapi/v1.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        _document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>The request-body schema of an operation, as a standalone JSON Schema (components under $defs).</summary>
    private JsonSchema BodySchema(string method, string path)
    {
        var body = _document["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!["schema"]!.AsObject();
        var wrapper = JsonNode.Parse(body.ToJsonString())!.AsObject();
        wrapper["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        wrapper["$defs"] = _document["components"]!["schemas"]!.DeepClone();
        wrapper["$id"] = $"https://canarysim.test/{Guid.NewGuid():N}";
        var text = wrapper.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text);
    }

    private static bool Valid(JsonSchema schema, string json) =>
        schema.Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List }).IsValid;

    private static IEnumerable<TestCaseData> Accepted()
    {
        yield return new TestCaseData("put", "/guard/config", """{"canary_pct": 10.0}""").SetName("config: the seed's bare percentage");
        yield return new TestCaseData("put", "/guard/config", """{"canary_pct": 5, "kill_switch": false, "mode": "canary", "salt": "s", "phase": "p", "updated_by": "admin", "reason": "r"}""").SetName("config: every scalar field");
        yield return new TestCaseData("put", "/guard/config", """{"segments": {"payroll": {"enabled": false}, "inbox": {"enabled": true, "canary_pct": 50}}, "cohort": ["vip-1"], "reason": "r"}""").SetName("config: segments and cohort");
        yield return new TestCaseData("post", "/guard/rollback", """{"reason": "bad answers"}""").SetName("rollback: reason only");
        yield return new TestCaseData("post", "/guard/rollback", """{"reason": "bad answers", "actor": "carol"}""").SetName("rollback: with actor");
        yield return new TestCaseData("post", "/guard/samples", """{"engine":"v2","latency_ms":812,"quality":93.5,"cost_cents":1.9}""").SetName("samples: one object, optional fields left out");
        yield return new TestCaseData("post", "/guard/samples", """[{"engine":"v1","at":"2026-02-19T09:59:00Z","latency_ms":700,"quality":95,"cost_cents":1.2,"error":false,"fallback":false,"policy_violation":false,"complaint":false,"tokens":12,"agent":"a","scenario":"s","role":"r"}]""").SetName("samples: array with every field");
        yield return new TestCaseData("post", "/guard/diffs", """{"agent_v1":"a","agent_v2":"b","changed":true}""").SetName("diffs: one object");
        yield return new TestCaseData("post", "/guard/diffs", """[{"agent_v1":"a","agent_v2":"b","changed":false,"count":3}]""").SetName("diffs: array with count");
        yield return new TestCaseData("post", "/guard/route", """{"session_id":"s-1","user_id":"u-1","segment":"inbox"}""").SetName("route: every field");
        yield return new TestCaseData("post", "/guard/route", """{}""").SetName("route: empty object");
        yield return new TestCaseData("post", "/guard/evaluate", """{}""").SetName("evaluate: empty object");
    }

    private static IEnumerable<TestCaseData> RefusedForShape()
    {
        yield return new TestCaseData("put", "/guard/config", """{"canary_percent": 5}""").SetName("config: unknown field");
        yield return new TestCaseData("put", "/guard/config", """{"canary_pct": "10"}""").SetName("config: percentage as a string");
        yield return new TestCaseData("put", "/guard/config", """{"segments": {"payroll": {"canary_pct": 5}}}""").SetName("config: segment without enabled");
        yield return new TestCaseData("post", "/guard/rollback", """{"actor": "carol"}""").SetName("rollback: no reason");
        yield return new TestCaseData("post", "/guard/samples", """{"engine":"v2","quality":94,"cost_cents":1.5}""").SetName("samples: no latency");
        yield return new TestCaseData("post", "/guard/samples", """[]""").SetName("samples: empty array");
        yield return new TestCaseData("post", "/guard/samples", """{"engine":"v2","latency_ms":1,"quality":1,"cost_cents":1,"extra":1}""").SetName("samples: unknown field");
        yield return new TestCaseData("post", "/guard/diffs", """{"agent_v1":"a","changed":true}""").SetName("diffs: no agent_v2");
        yield return new TestCaseData("post", "/guard/route", """{"session_id": 5}""").SetName("route: number key");
        yield return new TestCaseData("post", "/guard/evaluate", """{"now": true}""").SetName("evaluate: a parameter");
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string json) =>
        await Host.Authorized.SendAsync(new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path) { Content = GuardHost.Json(json) });

    [TestCaseSource(nameof(Accepted))]
    public async Task A_body_the_api_accepts_is_valid_against_the_documented_schema(string method, string path, string json)
    {
        var response = await SendAsync(method, path, json);

        Assert.That((int)response.StatusCode, Is.InRange(200, 299), await response.Content.ReadAsStringAsync());
        Assert.That(Valid(BodySchema(method, path), json), Is.True, $"the document refuses a body the API accepted: {json}");
    }

    [TestCaseSource(nameof(RefusedForShape))]
    public async Task A_body_the_api_refuses_for_its_shape_is_invalid_against_the_documented_schema(string method, string path, string json)
    {
        var response = await SendAsync(method, path, json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That(Valid(BodySchema(method, path), json), Is.False, $"the document allows a body the API refuses: {json}");
    }

    [Test]
    public void The_document_declares_both_bearer_tokens_and_which_operation_takes_which()
    {
        var schemes = _document["components"]!["securitySchemes"]!.AsObject();
        Assert.That(schemes.Select(s => s.Key), Is.EquivalentTo(new[] { "opsToken", "appToken" }));
        Assert.That(schemes.Select(s => s.Value!["scheme"]!.GetValue<string>()), Is.All.EqualTo("bearer"));

        string[] Tokens(string method, string path) => _document["paths"]![path]![method]!["security"]!.AsArray()
            .SelectMany(r => r!.AsObject().Select(kv => kv.Key)).Order().ToArray();

        Assert.Multiple(() =>
        {
            foreach (var (method, path) in new[] { ("put", "/guard/config"), ("post", "/guard/rollback"), ("post", "/guard/resume"), ("post", "/guard/evaluate") })
            {
                Assert.That(Tokens(method, path), Is.EqualTo(new[] { "opsToken" }), path);
            }
            foreach (var path in new[] { "/guard/route", "/guard/samples", "/guard/diffs" })
            {
                Assert.That(Tokens("post", path), Is.EqualTo(new[] { "appToken", "opsToken" }), path);
            }
            // Optional: anonymous (an empty requirement) or either token.
            Assert.That(_document["paths"]!["/guard/status"]!["get"]!["security"]!.AsArray().Any(r => r!.AsObject().Count == 0), Is.True);
            Assert.That(_document["paths"]!["/guard/health"]!["get"]!.AsObject().ContainsKey("security"), Is.False);
        });
    }

    [Test]
    public void Optional_sample_fields_are_not_required_and_the_body_takes_one_or_many()
    {
        var body = _document["paths"]!["/guard/samples"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        var oneOf = body["oneOf"]!.AsArray();
        Assert.That(oneOf, Has.Count.EqualTo(2));
        var sample = oneOf[0]!;
        Assert.That(oneOf[1]!["type"]!.GetValue<string>(), Is.EqualTo("array"));
        Assert.That(oneOf[1]!["minItems"]!.GetValue<int>(), Is.EqualTo(1));
        var required = sample["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.That(required, Is.EquivalentTo(new[] { "engine", "latency_ms", "quality", "cost_cents" }));
        Assert.That(sample["additionalProperties"]!.GetValue<bool>(), Is.False);
    }
}
