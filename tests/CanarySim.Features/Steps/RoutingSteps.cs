using System.Globalization;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Routing;
using CanarySim.Harness.WireMock;

namespace CanarySim.Features.Steps;

/// <summary>Router steps: settings, deterministic bucketing across a ramp, kill switch, shadow, fallback, segments and cohorts — all through the real <see cref="CanaryRouter"/> and <see cref="CanaryExecutor"/>.</summary>
[Binding]
public sealed class RoutingSteps(ControlPlane plane, EngineStubs stubs, ScenarioWorld rehearsal, ScenarioEvidence scenario)
{
    private readonly List<(double Pct, Dictionary<string, Engine> Engines)> _ramp = [];
    private readonly List<RouteDecision> _batch = [];

    // ---------------------------------------------------------------- settings

    /// <summary>Sets the router mode (primary, shadow, canary, candidate) and, for canary, the percentage — through the rollback controller, so it is in the settings history.</summary>
    [Given(@"^the router is in (primary|shadow|canary|candidate) mode(?: at (?<pct>\d+(?:\.\d+)?)%|(?<pct>))$")]
    public void Mode(RouterMode mode, double? pct) =>
        plane.Configure($"scenario: {WireName.Of(mode)} mode", s => s with { Mode = mode, CanaryPct = pct ?? s.CanaryPct });

    /// <summary>Sets the salt that is part of the bucketing hash (<c>salt:key</c>).</summary>
    [Given(@"^the bucketing salt is ""([^""]*)""$")]
    public void Salt(string salt) => plane.Configure("scenario: salt", s => s with { Salt = salt });

    /// <summary>Turns the kill switch on or off (through the rollback controller: on counts as a rollback).</summary>
    [Given(@"^the kill switch is (on|off)$")]
    [When(@"^the kill switch is turned (on|off)$")]
    public void KillSwitch(bool on) => plane.Configure($"scenario: kill switch {(on ? "on" : "off")}", s => s with { KillSwitch = on });

    /// <summary>Adds a per-segment override: disabled (always v1), or enabled with its own percentage.</summary>
    [Given(@"^segment ""([^""]+)"" is (enabled|disabled)(?: at (?<pct>\d+(?:\.\d+)?)%|(?<pct>))$")]
    public void Segment(string segment, bool enabled, double? pct) =>
        plane.Configure($"scenario: segment {segment}", s => s with { Segments = s.Segments.SetItem(segment, new SegmentOverride(enabled, pct)) });

    /// <summary>Puts session or user ids on the cohort allow-list (they get v2 unless the kill switch is on). Quote each id, separate with commas.</summary>
    [Given(@"^the cohort allow-list holds (""[^""]+""(?:, ""[^""]+"")*)$")]
    public void Cohort(string ids) =>
        plane.Configure("scenario: cohort", s => s with { Cohort = s.Cohort.Union(Quoted(ids)) });

    /// <summary>How long v2 may take when it serves before v1 takes over (the router's v2 timeout).</summary>
    [Given(@"^v2 may take at most (.+) before v1 takes over$")]
    public void V2Timeout(TimeSpan budget) => plane.RouterOptions.V2Timeout = budget;

    /// <summary>The shadow's own timeout budget in shadow mode.</summary>
    [Given(@"^the shadow budget is (.+)$")]
    public void ShadowBudget(TimeSpan budget) => plane.RouterOptions.ShadowTimeout = budget;

    // ---------------------------------------------------------------- routing

    /// <summary>Routes seeded synthetic sessions (session id, falling back to user id) at each percentage of a ramp, in order, and remembers every session's engine per step.</summary>
    [When(@"^(\d+) synthetic sessions are routed at each step of the ramp (.+)$")]
    public void Ramp(int count, string ramp)
    {
        var sessions = rehearsal.Traffic().Sessions(count);
        foreach (var pct in ramp.Split(['→', ',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(p => StepText.Convert(p, typeof(double))).Cast<double>())
        {
            plane.Configure($"scenario: ramp to {pct} %", s => s with { Mode = RouterMode.Canary, CanaryPct = pct });
            var engines = new Dictionary<string, Engine>(StringComparer.Ordinal);
            foreach (var s in sessions)
            {
                var request = new RouteRequest(s.SessionId, s.UserId);
                engines[request.Key!] = plane.Router.Route(request).Selected;
            }
            _ramp.Add((pct, engines));
        }
    }

    /// <summary>Routes one request with a session id and optionally a user id and a segment.</summary>
    [When(@"^session ""([^""]+)""(?: of user ""(?<user>[^""]+)""|(?<user>))(?: in segment ""(?<segment>[^""]+)""|(?<segment>)) is routed$")]
    public void RouteSession(string session, string? user, string? segment) =>
        plane.LastDecision = plane.Router.Route(new RouteRequest(session, OrNull(user), OrNull(segment)));

    /// <summary>Routes one request that only carries a user id.</summary>
    [When(@"^user ""([^""]+)"" without a session is routed$")]
    public void RouteUser(string user) => plane.LastDecision = plane.Router.Route(new RouteRequest(null, user));

    /// <summary>Routes one request with neither session nor user id (the router's seeded random source decides).</summary>
    [When(@"^a request without session or user is routed$")]
    public void RouteUnkeyed() => plane.LastDecision = plane.Router.Route(new RouteRequest(null));

    /// <summary>Routes the given number of distinct sessions (<c>load-1</c>, <c>load-2</c>, …).</summary>
    [When(@"^(\d+) different sessions are routed$")]
    public void RouteMany(int count)
    {
        _batch.Clear();
        for (var i = 1; i <= count; i++)
        {
            _batch.Add(plane.Router.Route(new RouteRequest($"load-{i}")));
        }
    }

    /// <summary>Serves one request for a session through the executor (engines stubbed by WireMock once the stub steps ran).</summary>
    [When(@"^a planning request for session ""([^""]+)"" is served$")]
    public async Task Serve(string session)
    {
        var payload = JsonSerializer.Serialize(new Dictionary<string, string> { ["kind"] = "plan", ["objective"] = "triage the inbox" });
        plane.LastRun = await plane.Executor.RunAsync(new Core.Routing.EngineRequest(session, null, null, payload));
        plane.LastDecision = plane.LastRun.Decision;
        scenario.Attach("served run", Describe(plane.LastRun));
    }

    // ---------------------------------------------------------------- outcomes

    /// <summary>Checks the engine and reason of the last decision (reasons: default, canary, kill_switch, shadow, cohort, segment_disabled, unkeyed).</summary>
    [Then(@"^the router selects (v1|v2) with reason ""([a-z_]+)""$")]
    public void Selects(string engine, string reason)
    {
        var d = Last();
        Assert.That((WireName.Of(d.Selected), WireName.Of(d.Reason)), Is.EqualTo((engine, reason)), $"decision: {Describe(d)}");
    }

    /// <summary>Checks that the last decision was marked unkeyed.</summary>
    [Then(@"^the decision is marked unkeyed$")]
    public void Unkeyed() => Assert.That(Last().Unkeyed, Is.True, Describe(Last()));

    /// <summary>Checks the bucket of the last decision (basis points, 0–9 999).</summary>
    [Then(@"^the bucket is between (\d+) and (\d+)$")]
    public void Bucket(int low, int high) => Assert.That(Last().Bucket, Is.InRange((double)low, (double)high), Describe(Last()));

    /// <summary>Checks the exact bucket of the last decision (basis points, 0–9 999): pins where a session lands.</summary>
    [Then(@"^the bucket is (\d+)$")]
    public void BucketIs(int bucket)
    {
        var d = Last();
        if (d.Bucket != bucket)
        {
            Assert.Fail($"expected bucket {bucket}, got {(d.Bucket is { } b ? b.ToString(CultureInfo.InvariantCulture) : "none")} ({Describe(d)})");
        }
    }

    /// <summary>Checks that the same session lands in the same bucket on a second, independently built router with the same settings (no process-local hashing).</summary>
    [Then(@"^a second router with the same settings puts session ""([^""]+)"" in the same bucket$")]
    public void SecondRouter(string session)
    {
        var other = new CanaryRouter(new LiveSettings(plane.Settings));
        Assert.That(other.Route(new RouteRequest(session)).Bucket, Is.EqualTo(plane.Router.Route(new RouteRequest(session)).Bucket));
    }

    /// <summary>Checks stickiness across the ramp: a session on v2 at one step is on v2 at every later (higher) step.</summary>
    [Then(@"^no session moved from v2 back to v1 as the percentage rose$")]
    public void Sticky()
    {
        Assert.That(_ramp, Has.Count.GreaterThan(1), "the ramp needs at least two steps");
        for (var i = 1; i < _ramp.Count; i++)
        {
            var (fromPct, from) = _ramp[i - 1];
            var (toPct, to) = _ramp[i];
            var movedBack = from.Where(kv => kv.Value == Engine.V2 && to[kv.Key] == Engine.V1).Select(kv => kv.Key).ToList();
            Assert.That(movedBack, Is.Empty, $"sessions on v2 at {fromPct} % but back on v1 at {toPct} %");
        }
    }

    /// <summary>Checks that at every ramp step the share of sessions on v2 is within the given number of percentage points of the step's percentage.</summary>
    [Then(@"^at every step the share of sessions on v2 is within (\d+(?:\.\d+)?) points of the percentage$")]
    public void Shares(double points)
    {
        var lines = _ramp.Select(r => (r.Pct, Share: 100.0 * r.Engines.Values.Count(e => e == Engine.V2) / r.Engines.Count)).ToList();
        scenario.Attach("v2 share per ramp step", string.Join("\n", lines.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Pct,6:0.##} % → {l.Share:0.00} % of sessions on v2"))));
        foreach (var (pct, share) in lines)
        {
            Assert.That(share, Is.EqualTo(pct).Within(points), $"v2 share at {pct} %");
        }
    }

    /// <summary>Checks how many of the batch of routed sessions got an engine for a reason.</summary>
    [Then(@"^all (\d+) were sent to (v1|v2) with reason ""([a-z_]+)""$")]
    public void AllBatch(int count, string engine, string reason)
    {
        Assert.That(_batch, Has.Count.EqualTo(count));
        var summary = _batch.GroupBy(d => $"{WireName.Of(d.Selected)}/{WireName.Of(d.Reason)}").ToDictionary(g => g.Key, g => g.Count());
        Assert.That(summary, Is.EqualTo(new Dictionary<string, int> { [$"{engine}/{reason}"] = count }));
    }

    /// <summary>Checks the audit log holds an <c>engine_route</c> event for the last decision with the given fields.</summary>
    [Then(@"^the audit log holds an engine_route event with selected ""(v1|v2)"" and reason ""([a-z_]+)""$")]
    public void AuditEvent(string engine, string reason)
    {
        var events = rehearsal.Audit.Read(RouteEventJson.EventType);
        Assert.That(events, Is.Not.Empty, "no engine_route events");
        using var last = JsonDocument.Parse(events[^1].Data);
        Assert.That((last.RootElement.GetProperty("selected").GetString(), last.RootElement.GetProperty("reason").GetString()), Is.EqualTo((engine, reason)), events[^1].Data);
    }

    // ---------------------------------------------------------------- WireMock-stubbed engines

    /// <summary>Starts the shared WireMock server (reset for this scenario), points v1 and v2 at it and loads <c>fixtures/wiremock/planner-v1.json</c> and <c>planner-v2.json</c>.</summary>
    [Given(@"^the planner engines are stubbed with WireMock$")]
    public Task Stubbed() => stubs.StartAsync();

    /// <summary>Restarts the stubbed engines with their own HTTP clients timing out (Polly) after the given time, stubs reloaded.</summary>
    [Given(@"^the engines' own HTTP clients give up after (.+)$")]
    public Task ClientsGiveUp(TimeSpan timeout) => stubs.StartAsync(timeout);

    /// <summary>Makes a planner stub answer a plan with the given agent and comma-separated tools.</summary>
    [Given(@"^the (v1|v2) planner stub plans agent ""([^""]+)"" with tools ""([^""]*)""$")]
    public Task StubPlan(string engine, string agent, string tools) =>
        stubs.AddAsync(engine, s => s.ReturnsJson(200, EngineStubs.Plan(agent, tools.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));

    /// <summary>Makes a planner stub answer an HTTP status (e.g. 500) with a short error body.</summary>
    [Given(@"^the (v1|v2) planner stub answers HTTP (\d{3})$")]
    public Task StubStatus(string engine, int status) => stubs.AddAsync(engine, s => s.Returns(status, "{\"error\":\"stubbed failure\"}"));

    /// <summary>Makes a planner stub answer its normal plan only after a delay.</summary>
    [Given(@"^the (v1|v2) planner stub answers after (.+)$")]
    public Task StubDelay(string engine, TimeSpan delay) =>
        stubs.AddAsync(engine, s => s.ReturnsJson(200, EngineStubs.Plan(engine == "v1" ? "inbox_triage" : "inbox_triage_v2", ["mail.search"])).WithDelay(delay));

    /// <summary>Makes a planner stub answer 200 with a body that is not a plan (malformed output).</summary>
    [Given(@"^the (v1|v2) planner stub answers 200 with the body ""(.*)""$")]
    public Task StubBody(string engine, string body) => stubs.AddAsync(engine, s => s.Returns(200, body));

    /// <summary>Makes a planner stub fail at the transport level: connection reset by peer, empty response, malformed response chunk, random data then close. In a mapping file the same is the response header <c>"X-CanarySim-Fault": "CONNECTION_RESET_BY_PEER"</c> (see fixtures/wiremock/README.md).</summary>
    [Given(@"^the (v1|v2) planner stub fails with (connection reset by peer|empty response|malformed response chunk|random data then close)$")]
    public Task StubFault(string engine, string fault) =>
        stubs.AddAsync(engine, s => s.WithFault(FaultNames.TryParse(fault, out var f) ? f : throw new ArgumentException($"unknown fault '{fault}'")));

    /// <summary>Checks how many requests the planner stub received (WireMock request journal).</summary>
    [Then(@"^the (v1|v2) planner stub received (\d+) requests?$")]
    public async Task Received(string engine, int count) => Assert.That(await stubs.CountAsync(engine), Is.EqualTo(count), $"requests to /{engine}/plan");

    /// <summary>Checks which engine's answer was returned to the caller.</summary>
    [Then(@"^the caller gets the answer of (v1|v2)$")]
    public void ServedBy(string engine) => Assert.That(WireName.Of(Run().ServedBy), Is.EqualTo(engine), Describe(Run()));

    /// <summary>Checks the agent named in the answer returned to the caller.</summary>
    [Then(@"^the answer names agent ""([^""]+)""$")]
    public void Agent(string agent) => Assert.That(Run().Served.Agent, Is.EqualTo(agent), Describe(Run()));

    /// <summary>Checks that the run counted as a fallback (v2 selected, failed, v1 served) and why: timeout, invalid_output or exception.</summary>
    [Then(@"^the run counts as a fallback because of ""(timeout|invalid_output|exception)""$")]
    public void Fallback(string reason)
    {
        Assert.That((Run().Fallback, Run().FallbackReason), Is.EqualTo((true, reason)), Describe(Run()));
        Assert.That(plane.Metrics.Fallbacks, Is.EqualTo(1), "fallback counter");
    }

    /// <summary>Checks that the run did not count as a fallback.</summary>
    [Then(@"^the run does not count as a fallback$")]
    public void NoFallback() => Assert.That((Run().Fallback, plane.Metrics.Fallbacks), Is.EqualTo((false, 0L)), Describe(Run()));

    /// <summary>Checks the shadow's outcome in shadow mode: ok, timeout, invalid_output or exception.</summary>
    [Then(@"^the shadow outcome is ""(ok|timeout|invalid_output|exception)""$")]
    public void ShadowOutcome(string outcome) => Assert.That(Run().ShadowOutcome, Is.EqualTo(outcome), Describe(Run()));

    /// <summary>Checks the decision diff flags that are true (e.g. <c>tools_changed, any_change</c>, or <c>nothing</c>).</summary>
    [Then(@"^the decision diff reports (.+)$")]
    public void Diff(string flags)
    {
        var diff = Run().Diff;
        Assert.That(diff, Is.Not.Null, $"no diff: {Describe(Run())}");
        var expected = flags == "nothing" ? [] : flags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.That(diff!.ToFlags().Where(f => f.Value).Select(f => f.Key), Is.EquivalentTo(expected));
    }

    /// <summary>Checks that no decision diff was produced (the shadow did not answer in time or failed).</summary>
    [Then(@"^no decision diff is recorded$")]
    public void NoDiff() => Assert.That(Run().Diff, Is.Null, Describe(Run()));

    /// <summary>
    /// Checks that the caller's wait was bounded by the shadow budget, below the given time: the budget is
    /// below it and it fired (the shadow outcome is <c>timeout</c>), so the caller never waited for the
    /// hanging engine. No wall-clock measurement is compared.
    /// </summary>
    [Then(@"^the caller waited less than (.+)$")]
    public void Waited(TimeSpan limit)
    {
        var budget = plane.RouterOptions.ShadowTimeout;
        Assert.That(budget, Is.LessThan(limit), $"the shadow budget is {budget.TotalMilliseconds:0} ms, not below {limit.TotalMilliseconds:0} ms");
        Assert.That(Run().ShadowOutcome, Is.EqualTo("timeout"), $"the shadow budget of {budget.TotalMilliseconds:0} ms did not cut the shadow off: {Describe(Run())}");
    }

    private RouteDecision Last() => plane.LastDecision ?? throw new InvalidOperationException("no request was routed yet");

    private Core.Routing.CanaryRunResult Run() => plane.LastRun ?? throw new InvalidOperationException("no request was served yet");

    // An optional part of a step that is absent arrives as empty text.
    private static string? OrNull(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static IEnumerable<string> Quoted(string ids) => ids.Split(',').Select(i => i.Trim().Trim('"'));

    private static string Describe(RouteDecision d) =>
        $"selected {WireName.Of(d.Selected)}, reason {WireName.Of(d.Reason)}, bucket {d.Bucket?.ToString(CultureInfo.InvariantCulture) ?? "-"}, canary {d.CanaryPct.ToString(CultureInfo.InvariantCulture)} %, kill switch {(d.KillSwitch ? "on" : "off")}, mode {WireName.Of(d.Mode)}";

    private static string Describe(Core.Routing.CanaryRunResult r) =>
        $"served by {WireName.Of(r.ServedBy)} (agent {r.Served.Agent ?? "-"}), {Describe(r.Decision)}, fallback {r.Fallback}{(r.FallbackReason is null ? "" : $" ({r.FallbackReason})")}, shadow {r.ShadowOutcome ?? "-"}, latency {r.Latency.TotalMilliseconds:0} ms";
}
