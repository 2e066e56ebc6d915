using System.Net.Http.Headers;

namespace CanarySim.Service.Tests.Api;

[TestFixture]
public sealed class AuthTests : GuardHostFixture
{
    private static IEnumerable<TestCaseData> MutatingEndpoints()
    {
        yield return new TestCaseData("PUT", "/guard/config", """{"canary_pct": 50, "reason": "r"}""");
        yield return new TestCaseData("POST", "/guard/rollback", """{"reason": "r"}""");
        yield return new TestCaseData("POST", "/guard/resume", """{"reason": "r"}""");
        yield return new TestCaseData("POST", "/guard/evaluate", "");
        yield return new TestCaseData("POST", "/guard/samples", """{"engine":"v2","latency_ms":1,"quality":1,"cost_cents":1}""");
        yield return new TestCaseData("POST", "/guard/route", """{"session_id":"s"}""");
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string body, AuthenticationHeaderValue? auth)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = GuardHost.Json(body) };
        request.Headers.Authorization = auth;
        return await Host.Client.SendAsync(request);
    }

    private async Task AssertNothingChangedAsync()
    {
        var status = await Host.StatusAsync();
        Assert.Multiple(() =>
        {
            Assert.That(status["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(0));
            Assert.That(status["settings"]!["kill_switch"]!.GetValue<bool>(), Is.False);
            Assert.That(status["timeline"]!.AsArray(), Is.Empty);
            Assert.That(status["window"]!["v2"]!["count"]!.GetValue<int>(), Is.EqualTo(0));
            Assert.That(status["evaluation"], Is.Null);
            Assert.That(status["traffic"]!["v1"]!.GetValue<long>() + status["traffic"]!["v2"]!.GetValue<long>(), Is.EqualTo(0));
        });
    }

    [TestCaseSource(nameof(MutatingEndpoints))]
    public async Task Without_a_token_the_answer_is_401_and_nothing_changes(string method, string path, string body)
    {
        var response = await SendAsync(method, path, body, null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(error["error"]!.GetValue<string>(), Is.EqualTo("unauthorized"));
        await AssertNothingChangedAsync();
    }

    [TestCaseSource(nameof(MutatingEndpoints))]
    public async Task With_a_wrong_token_the_answer_is_403_and_nothing_changes(string method, string path, string body)
    {
        var response = await SendAsync(method, path, body, new AuthenticationHeaderValue("Bearer", "test-ops-token-0123456789x"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), Is.EqualTo("forbidden"));
        await AssertNothingChangedAsync();
    }

    [Test]
    public async Task A_token_that_is_a_prefix_of_the_real_one_is_rejected()
    {
        var response = await SendAsync("PUT", "/guard/config", """{"canary_pct": 50, "reason": "r"}""",
            new AuthenticationHeaderValue("Bearer", GuardHost.Token[..^1]));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Another_scheme_counts_as_no_token()
    {
        var response = await SendAsync("PUT", "/guard/config", """{"canary_pct": 50, "reason": "r"}""",
            new AuthenticationHeaderValue("Basic", GuardHost.Token));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task With_the_right_token_the_change_goes_through()
    {
        var response = await SendAsync("PUT", "/guard/config", """{"canary_pct": 50, "reason": "r"}""",
            new AuthenticationHeaderValue("Bearer", GuardHost.Token));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(50));
    }

    [TestCase("/guard/health")]
    [TestCase("/guard/status")]
    [TestCase("/metrics")]
    [TestCase("/openapi/v1.json")]
    [TestCase("/")]
    public async Task Reads_need_no_token(string path)
    {
        var response = await Host.Client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
