using System.Net.Http.Headers;

namespace CanarySim.Service.Tests.Api;

/// <summary>Items 7, 9 and 10: what anonymous callers see, the app token's reach, throttled guessing.</summary>
[TestFixture]
public sealed class AccessTests : GuardHostFixture
{
    public const string AppToken = "test-app-token-0123456789";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Guard:AppToken"] = AppToken;
        settings["Guard:FailedAuthBurst"] = "5";
        settings["Guard:FailedAuthInterval"] = "01:00:00";
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? body, string? token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = GuardHost.Json(body);
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await Host.Client.SendAsync(request);
    }

    // Item 7: the anonymous status showed the database path, the salt, cohort keys, actors and reasons.
    [Test]
    public async Task Anonymous_status_and_health_reveal_no_salt_cohort_path_actor_or_reason()
    {
        await Host.PutConfigAsync("""{"salt": "secret-salt-42", "cohort": ["vip-user-7"], "canary_pct": 5, "updated_by": "carol", "reason": "payroll fix verified"}""");

        var status = await (await Host.Client.GetAsync("/guard/status")).Content.ReadAsStringAsync();
        var health = await (await Host.Client.GetAsync("/guard/health")).Content.ReadAsStringAsync();

        foreach (var secret in new[] { "secret-salt-42", "vip-user-7", "carol", "payroll fix verified", Host.Directory, "guard.db" })
        {
            Assert.That(status, Does.Not.Contain(secret), $"status reveals {secret}");
            Assert.That(health, Does.Not.Contain(secret), $"health reveals {secret}");
        }
        var node = JsonNode.Parse(status)!;
        Assert.That(node["redacted"]!.GetValue<bool>(), Is.True);
        Assert.That(node["settings"]!["cohort_size"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(node["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(5));
        Assert.That(node["timeline"]!.AsArray()[0]!["kind"]!.GetValue<string>(), Is.EqualTo("config"));
    }

    [TestCase(GuardHost.Token)]
    [TestCase(AppToken)]
    public async Task A_token_holder_sees_the_full_status(string token)
    {
        await Host.PutConfigAsync("""{"salt": "secret-salt-42", "cohort": ["vip-user-7"], "reason": "r"}""");

        var status = await (await SendAsync("GET", "/guard/status", null, token)).Content.ReadAsStringAsync();

        Assert.That(status, Does.Contain("secret-salt-42").And.Contain("vip-user-7").And.Contain(Path.GetFullPath(Host.DatabasePath)));
        Assert.That(JsonNode.Parse(status)!.AsObject().ContainsKey("redacted"), Is.False);
    }

    [Test]
    public async Task A_wrong_token_on_status_is_403_not_a_quiet_downgrade()
    {
        var response = await SendAsync("GET", "/guard/status", null, "not-the-token-0123456789");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    // Item 9: the application's routing calls needed the same token as rollback.
    [TestCase("POST", "/guard/route", """{"session_id":"s-1"}""")]
    [TestCase("POST", "/guard/samples", """{"engine":"v2","latency_ms":1,"quality":90,"cost_cents":1}""")]
    [TestCase("POST", "/guard/diffs", """{"agent_v1":"a","agent_v2":"b","changed":true}""")]
    public async Task The_app_token_may_route_post_samples_and_diffs(string method, string path, string body)
    {
        var response = await SendAsync(method, path, body, AppToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [TestCase("PUT", "/guard/config", """{"canary_pct": 50, "reason": "r"}""")]
    [TestCase("POST", "/guard/rollback", """{"reason": "r"}""")]
    [TestCase("POST", "/guard/resume", """{"reason": "r"}""")]
    [TestCase("POST", "/guard/evaluate", null)]
    public async Task The_app_token_may_not_change_settings_or_evaluate(string method, string path, string? body)
    {
        var response = await SendAsync(method, path, body, AppToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>(), Does.Contain("needs the ops token"));
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(0));
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.False);
    }

    [Test]
    public async Task The_ops_token_may_call_everything_the_app_token_may()
    {
        var response = await SendAsync("POST", "/guard/route", """{"session_id":"s-1"}""", GuardHost.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    // Item 10: ~4,000 wrong guesses a second were answered 403.
    [Test]
    public async Task Wrong_tokens_are_throttled_per_address_with_retry_after_while_good_tokens_pass()
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add((await SendAsync("PUT", "/guard/config", """{"canary_pct": 50, "reason": "r"}""", $"guess-{i:0000}-0123456789")).StatusCode);
        }

        Assert.That(answers.Take(5), Is.All.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(answers.Skip(5), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
        var throttled = await SendAsync("POST", "/guard/rollback", """{"reason": "r"}""", null);
        Assert.That(throttled.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "a missing token counts as a failed try too");
        Assert.That(throttled.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        Assert.That((await throttled.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), Is.EqualTo("too_many_requests"));

        var good = await Host.PutConfigAsync("""{"canary_pct": 5, "reason": "r"}""");
        Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the right token is never throttled");
        Assert.That((await Host.Client.GetAsync("/guard/status")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "anonymous reads are not failed tries");
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(5));
    }
}
