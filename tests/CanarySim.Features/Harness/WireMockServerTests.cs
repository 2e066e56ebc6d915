using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CanarySim.Core.Routing;
using CanarySim.Harness.Conversation;
using CanarySim.Harness.Engines;
using CanarySim.Harness.WireMock;
using Polly.Timeout;

namespace CanarySim.Features.Harness;

/// <summary>The in-process WireMock.Net server and its admin (one shared server, reset per test).</summary>
[Parallelizable(ParallelScope.Self)]
public sealed class WireMockServerTests
{
    private WireMockServer _server = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartShared()
    {
        _server = await WireMockServer.SharedAsync();
        _http = _server.CreateClient();
    }

    [OneTimeTearDown]
    public void DisposeClient() => _http.Dispose();

    [SetUp]
    public Task Reset() => _server.Admin.ResetAsync();

    [Test]
    public async Task Shared_server_listens_on_loopback_and_is_healthy()
    {
        Assert.That(_server.BaseUrl.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(await _server.Admin.IsHealthyAsync(), Is.True);
        Assert.That(await WireMockServer.SharedAsync(), Is.SameAs(_server));
    }

    [Test]
    public async Task A_stub_answers_and_the_journal_counts_and_finds_requests()
    {
        await _server.Admin.AddStubAsync(Stub.ForPost("/v2/plan").Returns(200, """{"agent":"a","steps":["s"]}"""));
        var engine = new HttpEngine(Engine.V2, _http);

        var answer = await engine.HandleAsync(new EngineRequest("s-1", "u-1", "inbox_triage", """{"objective":"x"}"""), CancellationToken.None);
        await engine.HandleAsync(new EngineRequest("s-2", null, null, """{"objective":"y"}"""), CancellationToken.None);

        Assert.That(answer.Agent, Is.EqualTo("a"));
        Assert.That(answer.Steps, Is.EqualTo(new[] { "s" }));
        Assert.That(await _server.Admin.CountRequestsAsync(RequestPattern.For("/v2/plan")), Is.EqualTo(2));
        Assert.That(await _server.Admin.CountRequestsAsync(RequestPattern.For("/v1/plan")), Is.Zero);
        var found = await _server.Admin.FindRequestsAsync(RequestPattern.For("/v2/plan").WithBodyContaining("\"x\""));
        Assert.That(found, Has.Count.EqualTo(1));
        Assert.That(found[0].Headers["X-Session-Id"], Is.EqualTo("s-1"));
        Assert.That(found[0].Method, Is.EqualTo("POST"));
        var all = await _server.Admin.GetRequestsAsync();
        Assert.That(all.Select(r => r.Body), Is.EqualTo(new[] { """{"objective":"x"}""", """{"objective":"y"}""" }));
    }

    [Test]
    public async Task Reset_clears_stubs_journal_and_scenarios()
    {
        await _server.Admin.AddStubAsync(Stub.For("/x").InScenario("s", ScenarioStates.Started, "next").Returns(200, "ok"));
        using (await _http.GetAsync("/x"))
        {
        }
        Assert.That(await _server.Admin.GetScenarioStateAsync("s"), Is.EqualTo("next"));
        await _server.Admin.ResetAsync();
        Assert.That(await _server.Admin.GetMappingsAsync(), Is.Empty);
        Assert.That(await _server.Admin.GetRequestsAsync(), Is.Empty);
        Assert.That(await _server.Admin.GetScenariosAsync(), Is.Empty);
    }

    [Test]
    public async Task Scenario_states_drive_a_multi_turn_exchange()
    {
        await _server.Admin.AddStubAsync(Stub.ForPost("/turn").InScenario("chat", ScenarioStates.Started, "second").Returns(200, "first answer"));
        await _server.Admin.AddStubAsync(Stub.ForPost("/turn").InScenario("chat", "second", "done").Returns(200, "second answer"));

        Assert.That(await Post("/turn"), Is.EqualTo("first answer"));
        Assert.That(await Post("/turn"), Is.EqualTo("second answer"));
        Assert.That(await _server.Admin.GetScenarioStateAsync("chat"), Is.EqualTo("done"));

        await _server.Admin.SetScenarioStateAsync("chat", "second");
        Assert.That(await Post("/turn"), Is.EqualTo("second answer"));
        await _server.Admin.ResetScenariosAsync();
        Assert.That(await _server.Admin.GetScenarioStateAsync("chat"), Is.EqualTo(ScenarioStates.Started));
    }

    [TestCase(Fault.ConnectionResetByPeer)]
    [TestCase(Fault.EmptyResponse)]
    [TestCase(Fault.MalformedResponseChunk)]
    [TestCase(Fault.RandomDataThenClose)]
    public async Task Transport_faults_fail_the_http_engine(Fault fault)
    {
        await _server.Admin.AddStubAsync(Stub.ForPost("/v2/plan").WithFault(fault));
        var engine = new HttpEngine(Engine.V2, _http);
        var e = Assert.CatchAsync(() => engine.HandleAsync(new EngineRequest("s", null, null, "{}"), CancellationToken.None));
        Assert.That(e, Is.InstanceOf<HttpRequestException>().Or.InstanceOf<IOException>());
    }

    [Test]
    public async Task A_slow_stub_trips_the_engine_timeout()
    {
        await _server.Admin.AddStubAsync(Stub.ForPost("/v2/plan").Returns(200, """{"agent":"a"}""").WithDelay(TimeSpan.FromSeconds(5)));
        var engine = new HttpEngine(Engine.V2, _http, new HttpEngineOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        var ex = Assert.ThrowsAsync<TimeoutException>(() => engine.HandleAsync(new EngineRequest("s", null, null, "{}"), CancellationToken.None));
        Assert.That(ex!.InnerException, Is.InstanceOf<TimeoutRejectedException>(), "the Polly timeout, surfaced as a TimeoutException so the router says 'timeout'");
    }

    [Test]
    public async Task A_random_delay_stub_still_answers()
    {
        await _server.Admin.AddStubAsync(Stub.ForPost("/v2/plan").Returns(200, """{"agent":"a"}""").WithRandomDelay(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50)));
        var mapping = (await _server.Admin.GetMappingsAsync()).Single();
        Assert.That(mapping["Response"]!["MinimumRandomDelay"]!.GetValue<long>(), Is.EqualTo(10));
        Assert.That(Guid.Parse(mapping["Guid"]!.GetValue<string>()), Is.Not.EqualTo(Guid.Empty));
        var engine = new HttpEngine(Engine.V2, _http);
        Assert.That((await engine.HandleAsync(new EngineRequest("s", null, null, "{}"), CancellationToken.None)).Agent, Is.EqualTo("a"));
    }

    [Test]
    public async Task Non_success_status_names_the_engine_and_status()
    {
        await _server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", "faults", "planner-v2-http-500.json"));
        var engine = new HttpEngine(Engine.V2, _http);
        var e = Assert.ThrowsAsync<HttpRequestException>(() => engine.HandleAsync(new EngineRequest("s", null, null, "{}"), CancellationToken.None));
        Assert.That(e!.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(e.Message, Does.Contain("v2 engine at").And.Contain("500"));
    }

    [TestCase("planner-v2-malformed-body.json", "not valid JSON")]
    [TestCase("planner-v2-wrong-shape.json", "neither 'agent'/'steps'")]
    public async Task Malformed_answers_are_invalid_engine_output(string file, string reason)
    {
        await _server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", "faults", file));
        var engine = new HttpEngine(Engine.V2, _http);
        var e = Assert.ThrowsAsync<InvalidEngineOutputException>(() => engine.HandleAsync(new EngineRequest("s", null, null, "{}"), CancellationToken.None));
        Assert.That(e!.Message, Does.Contain(reason));
    }

    [Test]
    public async Task Planner_fixtures_load_and_v2_disagrees_on_knowledge_objectives()
    {
        var loaded = await _server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", "planner-v1.json"))
                     + await _server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", "planner-v2.json"));
        Assert.That(loaded, Is.EqualTo(4));
        var v1 = new HttpEngine(Engine.V1, _http);
        var v2 = new HttpEngine(Engine.V2, _http);
        var triage = new EngineRequest("s", null, "inbox_triage", """{"agentType":"inbox_triage"}""");
        var knowledge = new EngineRequest("s", null, "knowledge_update", """{"agentType":"knowledge_update"}""");
        Assert.That((await v1.HandleAsync(triage, default)).Agent, Is.EqualTo((await v2.HandleAsync(triage, default)).Agent));
        Assert.That((await v1.HandleAsync(knowledge, default)).Agent, Is.EqualTo("knowledge_update"));
        Assert.That((await v2.HandleAsync(knowledge, default)).Agent, Is.EqualTo("knowledge_validate"));
    }

    [Test]
    public async Task Fault_fixture_overrides_the_default_stub_when_loaded_on_top()
    {
        await _server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", "planner-v2.json"));
        await _server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", "faults", "planner-v2-connection-reset.json"));
        var engine = new HttpEngine(Engine.V2, _http);
        Assert.CatchAsync(() => engine.HandleAsync(new EngineRequest("s", null, null, "{}"), CancellationToken.None));
    }

    [Test]
    public async Task Unmatched_requests_are_reported()
    {
        using (await _http.PostAsync("/nowhere", new StringContent("{}")))
        {
        }
        var unmatched = await _server.Admin.GetUnmatchedRequestsAsync();
        Assert.That(unmatched.Select(r => r.Url), Is.EqualTo(new[] { "/nowhere" }));
    }

    [Test]
    public async Task An_invalid_mapping_is_refused_naming_the_field_and_nothing_is_added()
    {
        var bad = new JsonObject { ["Priority"] = 1, ["Request"] = new JsonObject { ["Path"] = "/a", ["Methods"] = 42 }, ["Response"] = "nope" };
        var e = Assert.ThrowsAsync<WireMockAdminException>(() => _server.Admin.AddMappingAsync(bad));
        Assert.That(e!.Message, Does.Contain("Response: expected an object, got 'nope'").And.Contain("Request.Methods: expected a list, got 42"));
        Assert.That(await _server.Admin.GetMappingsAsync(), Is.Empty);
    }

    [Test]
    public async Task Stock_checker_v2_runs_all_turns_and_its_llm_call_shows_in_the_journal()
    {
        await _server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", "conversation-v2.json"));
        var v2 = new HttpEngine(Engine.V2, _http, new HttpEngineOptions { Path = "/v2/conversation/next" });
        var session = new ConversationSession(ConversationFlow.StockChecker, "conv-1", v2.HandleAsync);

        var t1 = await session.SayAsync("Check if JB Hi-Fi has Sony headphones");
        var t2 = await session.SayAsync("3");
        var t3 = await session.SayAsync("JB Hi-Fi Chermside");
        var t4 = await session.SayAsync("CONFIRM");

        Assert.That(new[] { t1.NextSlot, t2.NextSlot }, Is.EqualTo(new[] { "quantity", "place_id" }));
        Assert.That(t3.Action, Is.EqualTo("CONFIRM"));
        Assert.That(t3.ConfirmCard!.Keys, Is.EquivalentTo(ConversationFlow.StockChecker.Slots));
        Assert.That(t4.Action, Is.EqualTo("COMPLETE"));
        Assert.That(t4.EngineVersion, Is.EqualTo("v2"));
        Assert.That(t4.AgentMeta["phoneSource"], Is.EqualTo("PLACE"));
        Assert.That(await _server.Admin.CountRequestsAsync(RequestPattern.For("/llm/next")), Is.EqualTo(1));
        Assert.That(session.TotalLlmCalls, Is.EqualTo(1));
    }

    [Test]
    public async Task Sick_caller_v2_is_deterministic_and_reject_returns_to_the_first_slot()
    {
        await _server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", "conversation-v2.json"));
        var v2 = new HttpEngine(Engine.V2, _http, new HttpEngineOptions { Path = "/v2/conversation/next" });
        var session = new ConversationSession(ConversationFlow.SickCaller, "conv-2", v2.HandleAsync);
        foreach (var input in new[] { "Call in sick to Bunnings", "+61412345678", "Richard", "tomorrow", "9am", "SICK" })
        {
            await session.SayAsync(input);
        }
        Assert.That(session.Last!.Action, Is.EqualTo("CONFIRM"));
        var rejected = await session.SayAsync("REJECT");
        Assert.That(rejected.Action, Is.EqualTo("ASK_QUESTION"));
        Assert.That(rejected.NextSlot, Is.EqualTo("employer_name"));
        Assert.That(rejected.ExtractedData.Keys, Is.EquivalentTo(ConversationFlow.SickCaller.Slots));
        Assert.That(await _server.Admin.CountRequestsAsync(RequestPattern.For("/llm/next")), Is.Zero);
        Assert.That(await _server.Admin.CountRequestsAsync(RequestPattern.For("/v2/conversation/next")), Is.EqualTo(7));
    }

    [TestCase("conversation-v2-loses-key.json", 3, "lost key(s) employer_name")]
    [TestCase("conversation-v2-repeats-slot.json", 2, "slot 'employer_phone' was asked twice in a row")]
    [TestCase("conversation-v2-calls-llm.json", 1, "made 1 LLM call(s); expected zero")]
    [TestCase("conversation-v2-wrong-confirm-card.json", 6, "shows 'caller_name' = 'Rachel'")]
    public async Task Broken_v2_variants_break_an_invariant_on_the_right_turn(string variant, int turn, string reason)
    {
        await _server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", "conversation-v2.json"));
        await _server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", "variants", variant));
        var v2 = new HttpEngine(Engine.V2, _http, new HttpEngineOptions { Path = "/v2/conversation/next" });
        var session = new ConversationSession(ConversationFlow.SickCaller, "conv-3", v2.HandleAsync);
        var inputs = new[] { "Call in sick to Bunnings", "+61412345678", "Richard", "tomorrow", "9am", "SICK", "CONFIRM" };
        ConversationInvariantException? failure = null;
        foreach (var input in inputs)
        {
            try
            {
                await session.SayAsync(input);
            }
            catch (ConversationInvariantException e)
            {
                failure = e;
                break;
            }
        }
        Assert.That(failure, Is.Not.Null, "the broken variant must be caught");
        Assert.That(failure!.Message, Does.Contain(reason).And.Contain($"turn {turn}"));
    }

    [Test]
    public async Task Simulation_stubs_answer_for_the_request_and_obey_its_directives()
    {
        foreach (var f in new[] { "planner-v1.json", "planner-v2.json", "simulation/planner-echo.json", "simulation/planner-v2-diverges.json", "faults/planner-directed-faults.json" })
        {
            await _server.Admin.LoadMappingsAsync(RepoPaths.Fixture("wiremock", f));
        }

        // the template renders text as text: a quote is escaped inside the JSON string, a digit stays a string
        var quoted = await PostJson("/v2/plan", """{"agentType":"gu\"est","simulation":{"v2":"ok"}}""");
        Assert.That(quoted.Status, Is.EqualTo(200));
        Assert.That(quoted.Body!["agent"]!.GetValue<string>(), Is.EqualTo("gu\"est"));
        Assert.That(quoted.Body["tools"]![0]!.GetValue<string>(), Is.EqualTo("gu\"est_tool"));
        var digits = await PostJson("/v1/plan", """{"agentType":"3","simulation":{}}""");
        Assert.That(digits.Body!["agent"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.String));
        Assert.That(digits.Body["steps"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "3.load", "3.plan", "3.act" }));

        // priorities: a directive (1) beats divergence (2) beats the echo (3) beats the planner default (5)
        Assert.That((await PostJson("/v2/plan", """{"agentType":"guest","simulation":{"v2":"ok","divergeTo":"bar_manager"}}""")).Body!["agent"]!.GetValue<string>(), Is.EqualTo("bar_manager"));
        Assert.That((await PostJson("/v1/plan", """{"agentType":"guest","simulation":{"v1":"ok","divergeTo":"bar_manager"}}""")).Body!["agent"]!.GetValue<string>(), Is.EqualTo("guest"));
        Assert.That((await PostJson("/v2/plan", """{"agentType":"guest","simulation":{"v2":"http-500","divergeTo":"bar_manager"}}""")).Status, Is.EqualTo(500));
        Assert.That((await PostJson("/v1/plan", """{"agentType":"guest","simulation":{"v1":"wrong-shape"}}""")).Body!["result"]!.GetValue<string>(), Is.EqualTo("ok"));
        Assert.That((await PostJson("/v2/plan", """{"agentType":"knowledge_update"}""")).Body!["agent"]!.GetValue<string>(), Is.EqualTo("knowledge_validate"));
    }

    [Test]
    public async Task A_bad_fixture_file_is_refused_whole_naming_file_line_and_field()
    {
        var f = Path.Combine(Path.GetTempPath(), $"bad-stubs-{Guid.NewGuid():N}.json");
        File.WriteAllText(f, "[\n  {\"Priority\": 1, \"Request\": {\"Path\": \"/ok\"}, \"Response\": {}},\n  {\"Priority\": 1, \"Request\": {\"Path\": \"/a\"}, \"Response\": {\"Headers\": {\"X-CanarySim-Fault\": \"RESET\"}}}\n]");
        try
        {
            var e = Assert.ThrowsAsync<WireMockAdminException>(() => _server.Admin.LoadMappingsAsync(f));
            Assert.That(e!.Message, Does.Contain($"{f}: line 3: mapping [1]: Response.Headers.X-CanarySim-Fault: expected one of CONNECTION_RESET_BY_PEER"));
            Assert.That(await _server.Admin.GetMappingsAsync(), Is.Empty, "nothing of a refused file is added");
        }
        finally
        {
            File.Delete(f);
        }
    }

    [Test]
    public async Task A_dedicated_server_stops_on_dispose()
    {
        var server = WireMockServer.Start();
        var port = server.Port;
        Assert.That(server.IsRunning, Is.True);
        Assert.That(port, Is.Not.EqualTo(_server.Port));
        await server.DisposeAsync();
        Assert.That(server.IsRunning, Is.False);
        using var client = new TcpClient();
        Assert.Catch<SocketException>(() => client.Connect(IPAddress.Loopback, port));
    }

    private async Task<(int Status, JsonNode? Body)> PostJson(string path, string body)
    {
        using var r = await _http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        return ((int)r.StatusCode, JsonNode.Parse(await r.Content.ReadAsStringAsync()));
    }

    private async Task<string> Post(string path)
    {
        using var r = await _http.PostAsync(path, new StringContent("{}"));
        return await r.Content.ReadAsStringAsync();
    }
}
