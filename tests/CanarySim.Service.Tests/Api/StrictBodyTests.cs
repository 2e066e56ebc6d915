using System.Net.Http.Headers;
using System.Text;

namespace CanarySim.Service.Tests.Api;

/// <summary>Bodies are strict: raw bytes, duplicate keys, content types, odd values and reason-less seed calls.</summary>
[TestFixture]
public sealed class StrictBodyTests : GuardHostFixture
{
    private static readonly byte[] BadUtf8 = [.. "{\"canary_pct\":7,\"reason\":\""u8.ToArray(), 0xff, 0xfe, .. " bad\"}"u8.ToArray()];

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[] body, string? contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return await Host.Authorized.SendAsync(request);
    }

    private static async Task<string> ReasonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>();

    // Item 3: invalid UTF-8 and lone surrogates were 500 ("Cannot transcode invalid UTF-8").
    [Test]
    public async Task Invalid_utf8_is_400_naming_the_byte_not_500()
    {
        var response = await SendAsync(HttpMethod.Put, "/guard/config", BadUtf8);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ReasonAsync(response), Does.Contain("not valid UTF-8 (byte 27)"));
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(0));
    }

    [TestCase("/guard/config", """{"canary_pct": 7, "reason": "\ud800"}""")]
    [TestCase("/guard/config", """{"salt": "a\udc00b", "reason": "r"}""")]
    [TestCase("/guard/rollback", """{"reason": "\ud800"}""")]
    [TestCase("/guard/samples", """{"engine": "v2", "latency_ms": 1, "quality": 1, "cost_cents": 1, "agent": "\ud83d"}""")]
    [TestCase("/guard/route", """{"session_id": "\ud800"}""")]
    public async Task A_lone_surrogate_is_400_not_500(string path, string json)
    {
        var response = await SendAsync(path == "/guard/config" ? HttpMethod.Put : HttpMethod.Post, path, Encoding.UTF8.GetBytes(json));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That(await ReasonAsync(response), Does.Contain("valid Unicode"));
    }

    // Found by the fuzz test: null where a string is required was bound as null and reached the handler.
    [TestCase("/guard/diffs", """[{"agent_v1":null,"agent_v2":"b","changed":true,"count":2}]""", "agent_v1")]
    [TestCase("/guard/samples", """{"engine":null,"latency_ms":1,"quality":1,"cost_cents":1}""", "engine")]
    [TestCase("/guard/rollback", """{"reason":null}""", "reason")]
    public async Task Null_where_a_value_is_required_is_400_naming_the_field(string path, string json, string field)
    {
        var response = await SendAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(json));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That(await ReasonAsync(response), Does.Contain(field).And.Not.Contain("CanarySim."));
    }

    // Item 4: the last duplicate used to win (60).
    [TestCase("""{"canary_pct":7,"canary_pct":60,"reason":"x"}""", "duplicate key 'canary_pct'")]
    [TestCase("""{"segments":{"a":{"enabled":true},"a":{"enabled":false}},"reason":"x"}""", "duplicate key 'a'")]
    public async Task Duplicate_keys_are_400(string json, string expected)
    {
        var response = await Host.PutConfigAsync(json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ReasonAsync(response), Does.Contain(expected));
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(0));
    }

    // Item 5: text/plain or no content type used to apply the change.
    [TestCase("text/plain")]
    [TestCase(null)]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("application/json; charset=latin1")]
    public async Task A_body_that_is_not_declared_json_is_415_and_changes_nothing(string? contentType)
    {
        var response = await SendAsync(HttpMethod.Put, "/guard/config", """{"canary_pct": 7, "reason": "x"}"""u8.ToArray(), contentType);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), Is.EqualTo("unsupported_media_type"));
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(0));
    }

    [TestCase("application/json; charset=utf-8")]
    [TestCase("Application/JSON")]
    public async Task Json_with_a_utf8_charset_or_any_case_is_accepted(string contentType)
    {
        var response = await SendAsync(HttpMethod.Put, "/guard/config", """{"canary_pct": 7, "reason": "x"}"""u8.ToArray(), contentType);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(7));
    }

    // Item 6: -0 is stored as 0.
    [Test]
    public async Task Negative_zero_is_stored_as_zero()
    {
        await Host.PutConfigAsync("""{"canary_pct": 5, "reason": "up"}""");

        var response = await Host.PutConfigAsync("""{"canary_pct": -0.0, "reason": "down"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(double.IsNegative(Host.Runtime.Live.Current.CanaryPct), Is.False, "stored as -0");
        Assert.That((await response.Content.ReadAsStringAsync()), Does.Contain("\"canary_pct\":0,").And.Not.Contain("\"canary_pct\":-0"));
    }

    // Item 6: sub-basis-point percentages are refused, not rounded.
    [TestCase("1e-320")]
    [TestCase("10.005")]
    [TestCase("0.001")]
    public async Task A_percentage_finer_than_a_basis_point_is_refused(string pct)
    {
        var response = await Host.PutConfigAsync($$"""{"canary_pct": {{pct}}, "reason": "r"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ReasonAsync(response), Does.Contain("multiple of 0.01").And.Contain("refused rather than rounded"));
    }

    [Test]
    public async Task A_segment_percentage_finer_than_a_basis_point_is_refused_too()
    {
        var response = await Host.PutConfigAsync("""{"segments": {"payroll": {"enabled": true, "canary_pct": 0.005}}, "reason": "r"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ReasonAsync(response), Does.Contain("segments.payroll.canary_pct must be a multiple of 0.01"));
    }

    [Test]
    public async Task Whole_basis_points_are_accepted_exactly()
    {
        var response = await Host.PutConfigAsync("""{"canary_pct": 12.34, "reason": "r"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(12.34));
    }

    // Item 6: control characters in identifiers.
    [TestCase("""{"salt": "s\u0000alt", "reason": "r"}""", "salt holds the control character U+0000")]
    [TestCase("""{"salt": "\u0007bell", "reason": "r"}""", "salt holds the control character U+0007")]
    [TestCase("""{"canary_pct": 5, "updated_by": "ops\u001b[31m", "reason": "r"}""", "updated_by holds the control character U+001B")]
    [TestCase("""{"cohort": ["vip\n1"], "reason": "r"}""", "cohort[0] holds the control character U+000A")]
    [TestCase("""{"segments": {"pay\troll": {"enabled": true}}, "reason": "r"}""", "segment name holds the control character U+0009")]
    [TestCase("""{"phase": "p\u0085", "reason": "r"}""", "phase holds the control character U+0085")]
    public async Task Control_characters_in_identifiers_are_refused(string json, string expected)
    {
        var response = await Host.PutConfigAsync(json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ReasonAsync(response), Does.Contain(expected));
    }

    [Test]
    public async Task Control_characters_in_rollback_actor_and_route_keys_are_refused()
    {
        var rollback = await Host.Authorized.PostAsync("/guard/rollback", GuardHost.Json("""{"reason": "r", "actor": "a\u0000"}"""));
        var route = await Host.Authorized.PostAsync("/guard/route", GuardHost.Json("""{"session_id": "s\u0001"}"""));

        Assert.That(rollback.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(route.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.False);
    }

    // Item 6: enums match exactly; the message said "v1" or "v2" while "V2" was accepted.
    [Test]
    public async Task Mode_must_match_exactly()
    {
        var response = await Host.PutConfigAsync("""{"mode": "CANARY", "reason": "r"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ReasonAsync(response), Does.Contain("unknown mode \"CANARY\""));
    }

    [TestCase("V2")]
    [TestCase(" v2")]
    [TestCase("v2 ")]
    public async Task Engine_must_match_exactly(string engine)
    {
        var response = await Host.Authorized.PostAsync("/guard/samples", GuardHost.Json(
            $$"""{"engine": "{{engine}}", "latency_ms": 1, "quality": 90, "cost_cents": 1}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ReasonAsync(response), Does.Contain("engine: expected exactly \"v1\" or \"v2\""));
    }

    [Test]
    public async Task Field_names_match_exactly()
    {
        var response = await Host.PutConfigAsync("""{"Canary_Pct": 5, "reason": "r"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ReasonAsync(response), Does.Contain("unknown field 'Canary_Pct'"));
    }

    // Item 12: seed 001's runbook sends {"canary_pct": 10.0} without a reason.
    [Test]
    public async Task The_seed_runbooks_reason_less_percentage_is_accepted_and_recorded_with_an_empty_reason()
    {
        var response = await Host.PutConfigAsync("""{"canary_pct": 10.0}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(10.0));
        var entry = (await Host.StatusAsync())["timeline"]!.AsArray()[0]!;
        Assert.That(entry["reason"]!.GetValue<string>(), Is.Empty);
        Assert.That(entry["after"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(10.0));
    }

    [Test]
    public async Task Rollback_still_requires_a_reason()
    {
        var missing = await Host.Authorized.PostAsync("/guard/rollback", GuardHost.Json("""{"actor": "carol"}"""));
        var blank = await Host.Authorized.PostAsync("/guard/rollback", GuardHost.Json("""{"reason": "  "}"""));

        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(blank.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ReasonAsync(blank), Does.Contain("reason is required"));
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.False);
    }
}
