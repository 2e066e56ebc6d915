using CanarySim.Harness.WireMock;

namespace CanarySim.Features.Steps;

/// <summary>Steps that set up the WireMock-stubbed conversation engines (fixtures under <c>fixtures/wiremock/</c>) and read WireMock's request journal.</summary>
[Binding]
public sealed class EngineStubSteps(ScenarioWorld rehearsal)
{
    /// <summary>Engine client timeout for conversation stubs: the router's own budgets decide.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(10);

    private WireMockServer Server => rehearsal.WireMock
        ?? throw new InvalidOperationException("the engines are not stubbed yet: add the step 'Given the conversation engines are stubbed with WireMock'");

    /// <summary>Starts (or resets) the shared WireMock server, points v1 and v2 at <c>/v1/conversation/next</c> and <c>/v2/conversation/next</c>, and loads <c>conversation-v1.json</c> and <c>conversation-v2.json</c>.</summary>
    [Given(@"^the conversation engines are stubbed with WireMock$")]
    public async Task ConversationEngines()
    {
        await rehearsal.UseWireMockAsync("conversation/next", ClientTimeout);
        await rehearsal.LoadStubsAsync("conversation-v1.json");
        await rehearsal.LoadStubsAsync("conversation-v2.json");
    }

    /// <summary>Loads a broken v2 conversation engine variant on top of the healthy stubs (<c>fixtures/wiremock/variants/conversation-v2-&lt;name&gt;.json</c>): <c>loses-key</c>, <c>repeats-slot</c>, <c>calls-llm</c>, <c>wrong-confirm-card</c>.</summary>
    [Given(@"^the v2 conversation engine is the broken variant ""([a-z-]+)""$")]
    public Task BrokenVariant(string name) => rehearsal.LoadStubsAsync(Path.Combine("variants", $"conversation-v2-{name}.json"));

    /// <summary>Loads any WireMock mapping file or folder under <c>fixtures/wiremock/</c>.</summary>
    [Given(@"^the WireMock stubs in ""([^""]+)"" are loaded$")]
    public Task LoadStubs(string path) => rehearsal.LoadStubsAsync(path);

    /// <summary>Checks WireMock's journal: how many requests reached one conversation engine.</summary>
    [Then(@"^the (v1|v2) conversation engine received (\d+) requests?$")]
    public async Task EngineReceived(string engine, int count) =>
        Assert.That(await Server.Admin.CountRequestsAsync(RequestPattern.For($"/{engine}/conversation/next")), Is.EqualTo(count));

    /// <summary>Checks WireMock's journal: how many calls the engines made to the LLM stub (<c>/llm/next</c>).</summary>
    [Then(@"^the LLM stub received (\d+) requests?$")]
    public async Task LlmReceived(int count) =>
        Assert.That(await Server.Admin.CountRequestsAsync(RequestPattern.For("/llm/next")), Is.EqualTo(count));

    /// <summary>Checks that every request the stubs received matched a stub (no missing stub).</summary>
    [Then(@"^every request matched a stub$")]
    public async Task NoUnmatched()
    {
        var unmatched = await Server.Admin.GetUnmatchedRequestsAsync();
        Assert.That(unmatched.Select(r => $"{r.Method} {r.Url} {r.Body}"), Is.Empty);
    }
}
