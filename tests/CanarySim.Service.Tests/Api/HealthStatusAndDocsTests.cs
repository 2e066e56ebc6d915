namespace CanarySim.Service.Tests.Api;

[TestFixture]
public sealed class HealthStatusAndDocsTests : GuardHostFixture
{
    [Test]
    public async Task Health_is_ok_and_names_no_internal_path()
    {
        var response = await Host.Client.GetAsync("/guard/health");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("ok"));
        Assert.That(body.ContainsKey("database"), Is.False);
        Assert.That(body.ToJsonString(), Does.Not.Contain(Host.Directory));
        Assert.That(body["auth_required"]!.GetValue<bool>(), Is.True);
        Assert.That(File.Exists(Host.DatabasePath), Is.True);
    }

    [Test]
    public async Task Status_has_settings_window_thresholds_and_no_evaluation_at_first()
    {
        var status = await Host.StatusAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status["settings"]!["mode"]!.GetValue<string>(), Is.EqualTo("primary"));
            Assert.That(status["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(0));
            Assert.That(status["evaluation"], Is.Null);
            Assert.That(status["window"]!["description"]!.GetValue<string>(), Is.EqualTo("last 100 runs"));
            Assert.That(status["thresholds"]!["min_samples"]!.GetValue<int>(), Is.EqualTo(30));
            Assert.That(status["thresholds"]!["latency_p95_max_ms"]!.GetValue<double>(), Is.EqualTo(1600));
            Assert.That(status["thresholds"]!["quality_drop_max"]!.GetValue<double>(), Is.EqualTo(5.0));
            Assert.That(status["thresholds"]!["cost_max_cents"]!.GetValue<double>(), Is.EqualTo(3.0));
            Assert.That(status["service"]!["evaluation_interval_seconds"]!.GetValue<double>(), Is.EqualTo(15));
            Assert.That(status["service"]!["rollback_state"]!.GetValue<string>(), Is.EqualTo("active"));
        });
    }

    [Test]
    public async Task Status_window_reflects_ingested_samples_with_nearest_rank_p95()
    {
        var samples = Enumerable.Range(1, 20).Select(i => new { engine = "v2", latency_ms = i * 100.0, quality = 90.0, cost_cents = 1.0 });
        await Host.PostSamplesAsync(samples);

        var status = await Host.StatusAsync();

        // nearest rank: ceil(0.95 * 20) = 19th smallest = 1900
        Assert.That(status["window"]!["v2"]!["p95_latency_ms"]!.GetValue<double>(), Is.EqualTo(1900));
        Assert.That(status["window"]!["v2"]!["count"]!.GetValue<int>(), Is.EqualTo(20));
    }

    [Test]
    public async Task OpenApi_document_lists_every_endpoint()
    {
        var doc = (await Host.Client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.That(paths, Is.SupersetOf(new[] { "/guard/health", "/guard/status", "/guard/config", "/guard/rollback", "/guard/resume", "/guard/evaluate", "/guard/samples", "/guard/diffs", "/guard/route", "/metrics" }));
        var configBody = doc["paths"]!["/guard/config"]!["put"]!["requestBody"]!["content"]!["application/json"]!["schema"];
        Assert.That(configBody, Is.Not.Null);
    }

    [Test]
    public async Task The_dashboard_is_served_at_the_root()
    {
        var html = await Host.Client.GetStringAsync("/");
        Assert.That(html, Does.Contain("CanarySim Guard"));
        Assert.That(html, Does.Contain("id=\"pct-slider\""));
        var js = await Host.Client.GetAsync("/app.js");
        Assert.That(js.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(js.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
        Assert.That((await Host.Client.GetAsync("/style.css")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
