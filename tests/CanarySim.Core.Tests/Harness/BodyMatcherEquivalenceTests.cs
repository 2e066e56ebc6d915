using System.Text;
using System.Text.Json.Nodes;
using CanarySim.Harness.Scenarios;
using CanarySim.Harness.WireMock;

namespace CanarySim.Core.Tests.Harness;

/// <summary>
/// The fixtures match request bodies with WireMock.Net's <c>JsonPartialMatcher</c> where they once used JMESPath
/// expressions (parsed again on every request). Each expression and the body matcher that replaced it are served
/// side by side by one WireMock.Net server and must accept exactly the same bodies: every agent type of the
/// fixtures, other cases, numbers, null, missing fields, other shapes and bodies that are not JSON.
/// </summary>
[NonParallelizable]
public sealed class BodyMatcherEquivalenceTests
{
    // JMESPath expression → the Request.Body of the fixtures that replaced it (one Matcher, or an Or of two).
    private static readonly (string JmesPath, string Body)[] Replaced =
    [
        ("agentType == 'SICK_CALLER'", Partial("""{"agentType":"SICK_CALLER"}""")),
        ("agentType == 'STOCK_CHECKER'", Partial("""{"agentType":"STOCK_CHECKER"}""")),
        ("agentType == 'knowledge_update'", Partial("""{"agentType":"knowledge_update"}""")),
        ("event == 'CONFIRM'", Partial("""{"event":"CONFIRM"}""")),
        ("event == 'REJECT'", Partial("""{"event":"REJECT"}""")),
        ("simulation.v1 == 'http-500'", Partial("""{"simulation":{"v1":"http-500"}}""")),
        ("simulation.v1 == 'timeout'", Partial("""{"simulation":{"v1":"timeout"}}""")),
        ("simulation.v1 == 'wrong-shape'", Partial("""{"simulation":{"v1":"wrong-shape"}}""")),
        ("simulation.v2 == 'http-500'", Partial("""{"simulation":{"v2":"http-500"}}""")),
        ("simulation.v2 == 'timeout'", Partial("""{"simulation":{"v2":"timeout"}}""")),
        ("simulation.v2 == 'wrong-shape'", Partial("""{"simulation":{"v2":"wrong-shape"}}""")),
        // "is not null": any non-empty text of the value (an object or a list is its JSON text), or the empty text
        ("simulation != null", NotNull("""{"simulation":"[\\s\\S]"}""", """{"simulation":""}""")),
        ("simulation.divergeTo != null", NotNull("""{"simulation":{"divergeTo":"[\\s\\S]"}}""", """{"simulation":{"divergeTo":""}}""")),
    ];

    [Test]
    public void Every_fixture_body_matcher_is_one_of_the_compared_replacements()
    {
        var replacements = Replaced.Select(r => r.Body).ToHashSet();
        var used = new HashSet<string>();
        var files = Directory.GetFiles(RepoPaths.Fixture("wiremock"), "*.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}schema{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var mapping in files.SelectMany(f => MappingFile.Read(f, new Uri("http://127.0.0.1:1/"))))
        {
            if (mapping["Request"]!["Body"] is not JsonObject body)
            {
                continue;
            }
            // an And of several matchers is each of them; an Or is compared whole
            var parts = body["MatchOperator"]?.GetValue<string>() == "Or" ? [body.ToJsonString()] :
                body["Matcher"] is { } one ? [Single(one)] : body["Matchers"]!.AsArray().Select(m => Single(m!)).ToList();
            foreach (var part in parts)
            {
                Assert.That(replacements, Does.Contain(part), $"{mapping["Title"]}: a body matcher no test compares");
                used.Add(part);
            }
        }
        Assert.That(used, Is.EquivalentTo(replacements), "a compared replacement no fixture uses");
    }

    [Test]
    public async Task Each_replacement_accepts_exactly_the_bodies_its_jmespath_expression_accepted()
    {
        using var server = WireMockServer.Start();
        for (var i = 0; i < Replaced.Length; i++)
        {
            await server.Admin.AddMappingAsync(Mapping($"/jmespath/{i}", $$$"""{"Matcher":{"Name":"JmesPathMatcher","Pattern":"{{{Replaced[i].JmesPath}}}"}}"""));
            await server.Admin.AddMappingAsync(Mapping($"/partial/{i}", Replaced[i].Body));
        }
        using var http = server.CreateClient();
        var accepted = new int[Replaced.Length];
        var bodies = Bodies().ToList();
        foreach (var (body, mediaType) in bodies)
        {
            for (var i = 0; i < Replaced.Length; i++)
            {
                var before = await Accepts(http, $"jmespath/{i}", body, mediaType);
                var after = await Accepts(http, $"partial/{i}", body, mediaType);
                Assert.That(after, Is.EqualTo(before), $"{Replaced[i].JmesPath} on {mediaType} {body}");
                accepted[i] += before ? 1 : 0;
            }
        }
        Assert.That(bodies, Has.Count.EqualTo(47));
        // each expression accepts some bodies and refuses others, so the comparison can tell them apart
        Assert.That(accepted, Has.All.InRange(1, bodies.Count - 1));
    }

    private static IEnumerable<(string Body, string MediaType)> Bodies()
    {
        const string full = """
            "purpose":"serve","request":17,"attempt":1,"simulation":{"v1":"http-500","v2":"timeout","divergeTo":"bar_manager"},"event":"CONFIRM"
            """;
        foreach (var agent in new[] { "\"SICK_CALLER\"", "\"STOCK_CHECKER\"", "\"knowledge_update\"", "\"sick_caller\"", "\"SICK_CALLER \"", "\"guest\"", "\"\"", "3", "true", "null", "{\"a\":1}", "[\"SICK_CALLER\"]" })
        {
            yield return ($"{{\"agentType\":{agent},{full}}}", "application/json");
        }
        yield return ($"{{{full}}}", "application/json");
        foreach (var evt in new[] { "\"CONFIRM\"", "\"REJECT\"", "\"confirm\"", "\"\"", "1", "null" })
        {
            yield return ($"{{\"agentType\":\"SICK_CALLER\",\"event\":{evt}}}", "application/json");
        }
        foreach (var simulation in new[]
        {
            "null", "\"\"", "\"x\"", "0", "false", "[]", "{}", "{\"v1\":\"ok\",\"v2\":\"ok\"}", "{\"v1\":\"timeout\"}", "{\"v1\":\"wrong-shape\",\"v2\":\"http-500\"}",
            "{\"v2\":\"wrong-shape\",\"divergeTo\":\"\"}", "{\"v2\":\"TIMEOUT\",\"divergeTo\":null}", "{\"v1\":\"http-500 \",\"divergeTo\":3}", "{\"v1\":[\"http-500\"],\"divergeTo\":{}}",
            "{\"v1\":null,\"v2\":500,\"divergeTo\":[]}", "{\"divergeTo\":false}", "{\"divergeTo\":\"a\\nb\"}", "[{\"v1\":\"http-500\"}]",
        })
        {
            yield return ($"{{\"agentType\":\"guest\",\"purpose\":\"serve\",\"simulation\":{simulation}}}", "application/json");
        }
        foreach (var other in new[] { "[{\"agentType\":\"SICK_CALLER\"}]", "\"SICK_CALLER\"", "42", "null", "{\"agentType\":\"SICK_CALLER\"", "agentType == 'SICK_CALLER'", "" })
        {
            yield return (other, "application/json");
        }
        foreach (var text in new[] { "{\"agentType\":\"SICK_CALLER\",\"event\":\"CONFIRM\"}", "{\"simulation\":{\"v2\":\"timeout\",\"divergeTo\":\"x\"}}", "agentType=SICK_CALLER" })
        {
            yield return (text, "text/plain");
        }
    }

    private static async Task<bool> Accepts(HttpClient http, string path, string body, string mediaType)
    {
        using var answer = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, mediaType));
        return (int)answer.StatusCode == 200 && await answer.Content.ReadAsStringAsync() == "hit";
    }

    private static JsonObject Mapping(string path, string body) => JsonNode.Parse($$$"""
        {"Priority":1,"Request":{"Path":"{{{path}}}","Methods":["POST"],"Body":{{{body}}}},"Response":{"StatusCode":200,"Body":"hit"}}
        """)!.AsObject();

    private static string Partial(string pattern) => Single(JsonNode.Parse($$"""{"Name":"JsonPartialMatcher","Pattern":{{pattern}}}""")!);

    private static string NotNull(string nonEmpty, string empty) => JsonNode.Parse($$"""
        {"Matchers":[{"Name":"JsonPartialMatcher","Pattern":{{nonEmpty}},"Regex":true},{"Name":"JsonPartialMatcher","Pattern":{{empty}}}],"MatchOperator":"Or"}
        """)!.ToJsonString();

    private static string Single(JsonNode matcher) => new JsonObject { ["Matcher"] = matcher.DeepClone() }.ToJsonString();
}
