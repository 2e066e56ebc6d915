using CanarySim.Core;
using CanarySim.Core.Routing;

namespace CanarySim.Service.Tests.Api;

[TestFixture]
public sealed class SamplesAndRouteTests : GuardHostFixture
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Guard:MaxSamplesPerRequest"] = "50";

    [Test]
    public async Task A_single_sample_in_the_spec_format_is_stored()
    {
        var response = await Host.Authorized.PostAsync("/guard/samples", GuardHost.Json(
            """{"engine":"v2","at":"2026-02-19T09:59:00Z","latency_ms":812,"quality":93.5,"cost_cents":1.9,"error":false,"fallback":false,"policy_violation":false,"complaint":false}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(body["accepted"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(body["window"]!["v2"]!["p95_latency_ms"]!.GetValue<double>(), Is.EqualTo(812));
        Assert.That(body["window"]!["v2"]!["mean_quality"]!.GetValue<double>(), Is.EqualTo(93.5));
    }

    [Test]
    public async Task A_batch_is_stored_and_a_missing_at_takes_the_service_clock()
    {
        var response = await Host.Authorized.PostAsync("/guard/samples", GuardHost.Json(
            """[{"engine":"v1","latency_ms":700,"quality":95,"cost_cents":1.2},{"engine":"v2","latency_ms":900,"quality":94,"cost_cents":1.5,"fallback":true}]"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(body["v1"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(body["v2"]!.GetValue<int>(), Is.EqualTo(1));
        var stored = Host.Runtime.Guard.Detector.Evaluate();
        Assert.That(stored.V2.Fallbacks, Is.EqualTo(1));
        var status = await Host.StatusAsync();
        var last = status["series"]!.AsArray()[^1]!;
        Assert.That(last["at"]!.GetValue<DateTimeOffset>(), Is.EqualTo(GuardHost.Start));
        Assert.That(last["v2"]!["count"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [TestCase("""[{"engine":"v1","latency_ms":700,"quality":95,"cost_cents":1.2},{"engine":"v3","latency_ms":900,"quality":94,"cost_cents":1.5}]""", "sample 2 of 2: engine")]
    [TestCase("""[{"engine":"v1","latency_ms":700,"quality":95,"cost_cents":1.2},{"engine":"v2","latency_ms":900,"quality":140,"cost_cents":1.5}]""", "sample 2 of 2: quality")]
    [TestCase("""{"engine":"v2","quality":94,"cost_cents":1.5}""", "the sample: $: missing required field 'latency_ms'")]
    [TestCase("""{"engine":"v2","latency_ms":"slow","quality":94,"cost_cents":1.5}""", "latency_ms")]
    [TestCase("""{"engine":"v2","latency_ms":1,"quality":94,"cost_cents":1.5,"colour":"red"}""", "colour")]
    [TestCase("""[]""", "empty")]
    [TestCase("""42""", "one sample object like")]
    [TestCase("""[1]""", "sample 1: $[0]: expected a JSON object")]
    public async Task A_bad_sample_rejects_the_whole_request_and_stores_nothing(string body, string expected)
    {
        var response = await Host.Authorized.PostAsync("/guard/samples", GuardHost.Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>(), Does.Contain(expected));
        var status = await Host.StatusAsync();
        Assert.That(status["window"]!["v1"]!["count"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(status["window"]!["v2"]!["count"]!.GetValue<int>(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_batch_over_the_limit_is_rejected()
    {
        var samples = Enumerable.Range(0, 51).Select(_ => new { engine = "v2", latency_ms = 1, quality = 90, cost_cents = 1 });
        var response = await Host.Authorized.PostAsJsonAsync("/guard/samples", samples);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>(), Does.Contain("at most 50"));
    }

    [Test]
    public async Task Route_returns_the_decision_of_the_real_router_and_counts_it()
    {
        await Host.PutConfigAsync("""{"canary_pct": 30, "reason": "ramp"}""");
        // The oracle is independent of the router: MurmurHash3 x86_32 of "canarysim:session-42" mod 10 000 is 5169
        // (computed outside this repository, see CanaryRouterTests), at or above 30 % = 3000 basis points: v1, reason default.
        var expected = (Selected: Engine.V1, Reason: RouteReason.Default, Bucket: 5169.0);

        var response = await Host.Authorized.PostAsync("/guard/route", GuardHost.Json("""{"session_id":"session-42","user_id":"u-1","segment":"inbox_triage"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var d = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Multiple(() =>
        {
            Assert.That(d["selected"]!.GetValue<string>(), Is.EqualTo(WireName.Of(expected.Selected)));
            Assert.That(d["reason"]!.GetValue<string>(), Is.EqualTo(WireName.Of(expected.Reason)));
            Assert.That(d["bucket"]!.GetValue<double>(), Is.EqualTo(expected.Bucket));
            Assert.That(d["canary_pct"]!.GetValue<double>(), Is.EqualTo(30));
            Assert.That(d["mode"]!.GetValue<string>(), Is.EqualTo("canary"));
            Assert.That(d["kill_switch"]!.GetValue<bool>(), Is.False);
        });
        Assert.That(Host.Runtime.RouterMetrics.Selections(expected.Selected, expected.Reason), Is.EqualTo(1));
    }

    [Test]
    public async Task Route_without_keys_is_unkeyed_and_candidate_mode_sends_everything_to_v2()
    {
        await Host.PutConfigAsync("""{"mode": "candidate", "reason": "full"}""");

        var keyed = (await (await Host.Authorized.PostAsync("/guard/route", GuardHost.Json("""{"user_id":"u-7"}"""))).Content.ReadFromJsonAsync<JsonObject>())!;
        var unkeyed = (await (await Host.Authorized.PostAsync("/guard/route", null)).Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.That(keyed["selected"]!.GetValue<string>(), Is.EqualTo("v2"));
        Assert.That(unkeyed["unkeyed"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Route_decisions_reach_the_audit_log_as_engine_route_events()
    {
        for (var i = 0; i < 3; i++)
        {
            await Host.Authorized.PostAsync("/guard/route", GuardHost.Json($$"""{"session_id":"s-{{i}}"}"""));
        }

        Host.Runtime.Dispose(); // flushes the batched audit writer
        using var store = CanarySim.Storage.Sqlite.SqliteStore.Open(Host.DatabasePath, TimeProvider.System);
        var events = store.Audit.Read("engine_route");

        Assert.That(events, Has.Count.EqualTo(3));
        Assert.That(events[0].Data, Does.Contain("\"selected\":\"v1\"").And.Contain("\"reason\":\"default\""));
        Assert.That(events[0].At, Is.EqualTo(GuardHost.Start));
    }

    [TestCase("""{"session":"s"}""", "unknown field 'session'")]
    [TestCase("""{"session_id":5}""", "$.session_id: expected a string")]
    [TestCase("""["s"]""", "JSON object")]
    public async Task Bad_route_body_gets_400(string body, string expected)
    {
        var response = await Host.Authorized.PostAsync("/guard/route", GuardHost.Json(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>(), Does.Contain(expected));
        Assert.That(Host.Runtime.RouterMetrics.Snapshot().Selections.Sum(s => s.Count), Is.EqualTo(0));
    }

    [TestCase("""{"agent_v1":"a","changed":true}""", "missing required field 'agent_v2'")]
    [TestCase("""{"agent_v1":"a","agent_v2":"b","changed":"yes"}""", "changed: expected true or false")]
    [TestCase("""{"agent_v1":"a b","agent_v2":"b","changed":true}""", "agent_v1: expected an agent name")]
    [TestCase("""{"agent_v1":"a","agent_v2":"b","changed":true,"count":0}""", "count: expected a whole number")]
    [TestCase("""{"agent_v1":"a","agent_v2":"b","changed":true,"why":1}""", "unknown field 'why'")]
    [TestCase("""[{"agent_v1":"a","agent_v2":"b","changed":true},{"agent_v1":"a"}]""", "comparison 2: $[1]: missing required fields")]
    [TestCase("""[]""", "non-empty array")]
    public async Task Bad_diff_reports_get_400_and_count_nothing(string body, string expected)
    {
        var response = await Host.Authorized.PostAsync("/guard/diffs", GuardHost.Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>(), Does.Contain(expected));
        Assert.That(Host.Runtime.RouterMetrics.Snapshot().Diffs, Is.Empty);
    }

    [Test]
    public async Task A_diff_report_is_counted_and_answered()
    {
        var response = await Host.Authorized.PostAsync("/guard/diffs", GuardHost.Json("""{"agent_v1":"inbox_triage","agent_v2":"inbox_priority","changed":true,"count":7}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That((body["recorded"]!.GetValue<long>(), body["changed"]!.GetValue<long>()), Is.EqualTo((7L, 7L)));
        Assert.That(Host.Runtime.RouterMetrics.Snapshot().Diffs.Single().Count, Is.EqualTo(7));
    }
}
