using System.Text;
using CanarySim.Harness.Scenarios;
using CanarySim.Harness.WireMock;

namespace CanarySim.Core.Tests.Harness;

/// <summary>
/// Templated stubs answer exactly as WireMock.Net's own Handlebars transformer renders them: the simulator's
/// stub set on two servers, one rendering through <see cref="JsonPathAnswer"/>, one through WireMock.Net.
/// </summary>
[NonParallelizable]
public sealed class TemplatedAnswerTests
{
    private static readonly string[] SimulationFiles =
        ["planner-v1.json", "planner-v2.json", "simulation/planner-echo.json", "simulation/planner-v2-diverges.json", "faults/planner-directed-faults.json"];

    [Test]
    public async Task The_simulator_stubs_answer_like_wiremock_net_renders_them()
    {
        using var ours = WireMockServer.Start();
        using var theirs = WireMockServer.Start(handlebarsTemplates: true);
        foreach (var file in SimulationFiles)
        {
            await ours.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", file));
            await theirs.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", file));
        }
        using var a = ours.CreateClient();
        using var b = theirs.CreateClient();
        var compared = 0;
        foreach (var engine in new[] { "v1", "v2" })
        {
            foreach (var agent in new[] { "\"guest\"", "\"knowledge_update\"", "\"3\"", "3", "\"gu\\\"est\"", "\"a'b\"", "\"{{x}}\"", "\"\"" })
            {
                // "timeout" answers after 3 s; the rest at once
                foreach (var simulation in new[] { null, "{}", $"{{\"{engine}\":\"ok\"}}", $"{{\"{engine}\":\"ok\",\"divergeTo\":\"bar_manager\"}}", $"{{\"{engine}\":\"wrong-shape\"}}", $"{{\"{engine}\":\"http-500\"}}" })
                {
                    var body = simulation is null ? $"{{\"agentType\":{agent}}}" : $"{{\"agentType\":{agent},\"purpose\":\"serve\",\"simulation\":{simulation}}}";
                    var (mine, wireMock) = (await Answer(a, engine, body), await Answer(b, engine, body));
                    Assert.That(mine, Is.EqualTo(wireMock), $"POST /{engine}/plan {body}");
                    compared++;
                }
            }
        }
        Assert.That(compared, Is.EqualTo(96));
    }

    private static async Task<string> Answer(HttpClient http, string engine, string body)
    {
        using var answer = await http.PostAsync($"{engine}/plan", new StringContent(body, Encoding.UTF8, "application/json"));
        return $"{(int)answer.StatusCode} {answer.Content.Headers.ContentType?.MediaType} {await answer.Content.ReadAsStringAsync()}";
    }
}
