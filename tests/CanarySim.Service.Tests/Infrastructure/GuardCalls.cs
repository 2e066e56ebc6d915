namespace CanarySim.Service.Tests.Infrastructure;

/// <summary>
/// Calls a test makes on a guard service and the answer they must get (on another, the failure message is the
/// answer's body). Tests import them with <c>using static</c>.
/// </summary>
internal static class GuardCalls
{
    /// <summary>Asserts the call answered 200 OK.</summary>
    public static async Task Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asserts the call answered <paramref name="expected"/> (200 OK unless given) and returns its JSON body.</summary>
    public static async Task<JsonObject> Body(Task<HttpResponseMessage> call, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await call;
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The engine <paramref name="host"/> routes <paramref name="session"/> to (<c>v1</c> or <c>v2</c>).</summary>
    public static async Task<string> Selected(GuardHost host, string session) =>
        (await Body(host.Authorized.PostAsync("/guard/route", GuardHost.Json($$"""{"session_id":"{{session}}"}"""))))["selected"]!.GetValue<string>();
}
