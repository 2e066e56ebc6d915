using System.Text.Json.Nodes;
using CanarySim.Harness.WireMock;

namespace CanarySim.Features.Steps;

/// <summary>Per-scenario access to the WireMock-stubbed planner engines of a <see cref="ScenarioWorld"/>.</summary>
public sealed class EngineStubs(ScenarioWorld rehearsal)
{
    /// <summary>Priority of stubs added by steps: above the fixture mappings (4–5).</summary>
    public const int StepPriority = 1;

    /// <summary>Engine client timeout: long enough for any stub delay a scenario uses, so the router's own budgets decide.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The running server (after <see cref="StartAsync"/>).</summary>
    public WireMockServer Server => rehearsal.WireMock ?? throw new InvalidOperationException("the engines are not stubbed yet: add the step 'Given the planner engines are stubbed with WireMock'");

    /// <summary>Starts (or resets) the shared server, points both engines at it (HTTP timeout <paramref name="clientTimeout"/>, default 10 s) and loads the planner fixtures.</summary>
    public async Task StartAsync(TimeSpan? clientTimeout = null)
    {
        await rehearsal.UseWireMockAsync("plan", clientTimeout ?? ClientTimeout);
        await rehearsal.LoadStubsAsync("planner-v1.json");
        await rehearsal.LoadStubsAsync("planner-v2.json");
    }

    /// <summary>Adds a stub for <c>/&lt;engine&gt;/plan</c>.</summary>
    public Task AddAsync(string engine, Func<Stub, Stub> configure) =>
        Server.Admin.AddStubAsync(configure(Stub.ForPost($"/{engine}/plan").AtPriority(StepPriority).Named($"{engine} planner: scenario stub")));

    /// <summary>A plan answer body.</summary>
    public static JsonObject Plan(string agent, IEnumerable<string> tools) => new()
    {
        ["agent"] = agent,
        ["steps"] = new JsonArray("classify", "label"),
        ["tools"] = new JsonArray(tools.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
        ["dry_run"] = false,
    };

    /// <summary>How many requests reached <c>/&lt;engine&gt;/plan</c>.</summary>
    public Task<int> CountAsync(string engine, string? bodyContains = null)
    {
        var pattern = RequestPattern.For($"/{engine}/plan");
        return Server.Admin.CountRequestsAsync(bodyContains is null ? pattern : pattern.WithBodyContaining(bodyContains));
    }
}
