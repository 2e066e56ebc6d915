using System.Text.Json;

namespace CanarySim.Service.Tests.Api;

/// <summary>Item 1: future-dated samples pinned the window (v2 p95 5000 after 200 fresh samples at 300 ms).</summary>
[TestFixture]
public sealed class SampleClockTests : GuardHostFixture
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Guard:BackgroundEvaluation"] = "false";
        settings["Guard:EvaluateOnIngest"] = "false";
    }

    private static object[] V2(int n, DateTimeOffset? at, double latency) =>
        Enumerable.Range(0, n).Select(_ => (object)new Dictionary<string, object>(at is { } t
            ? [new("at", t.ToString("yyyy-MM-ddTHH:mm:ssZ")), new("engine", "v2"), new("latency_ms", latency), new("quality", 94.0), new("cost_cents", 1.5)]
            : [new("engine", "v2"), new("latency_ms", latency), new("quality", 94.0), new("cost_cents", 1.5)])).ToArray();

    [Test]
    public async Task A_sample_dated_more_than_5_minutes_ahead_is_refused_naming_the_item()
    {
        var batch = V2(3, null, 300).Concat(V2(1, new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero), 5000)).ToArray();

        var response = await Host.Authorized.PostAsync("/guard/samples", GuardHost.Json(JsonSerializer.Serialize(batch)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var reason = (await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>();
        Assert.That(reason, Does.StartWith("sample 4 of 4: at: 9999-12-31T00:00:00Z is more than 5 minutes ahead of the service clock"));
        Assert.That(Host.Runtime.CurrentWindow().V2.Count, Is.EqualTo(0), "all or nothing");
    }

    [Test]
    public async Task Five_minutes_ahead_is_still_accepted()
    {
        await Host.PostSamplesAsync(V2(1, GuardHost.Start.AddMinutes(5), 300));
        Assert.That(Host.Runtime.CurrentWindow().V2.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Samples_dated_ahead_within_the_skew_do_not_pin_the_run_window()
    {
        // 10 slow v2 samples 4 minutes ahead (accepted), then 200 fresh fast ones: the last 100 runs are the fast ones.
        await Host.PostSamplesAsync(V2(10, GuardHost.Start.AddMinutes(4), 5000));
        await Host.PostSamplesAsync(V2(200, null, 300));

        var (_, v2) = Host.Runtime.CurrentWindow();
        Assert.That(v2.Count, Is.EqualTo(100));
        Assert.That(v2.P95LatencyMs, Is.EqualTo(300));
        var verdict = Host.Runtime.Guard.Detector.Evaluate();
        Assert.That(verdict.Breaches.Select(b => b.Check), Does.Not.Contain("latency"));
    }

    [Test]
    public async Task A_late_sample_is_stored_and_counts_as_a_recent_run_of_the_run_window()
    {
        var response = await Host.Authorized.PostAsync("/guard/samples", GuardHost.Json(JsonSerializer.Serialize(V2(1, GuardHost.Start.AddDays(-2), 700))));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(body["outside_window"]!.GetValue<int>(), Is.EqualTo(0), "a run-count window has no time bound");
        Assert.That(body["window"]!["v2"]!["count"]!.GetValue<int>(), Is.EqualTo(1));
    }
}

/// <summary>Item 1, time windows: a sample older than the window is stored but never judged, and the answer says so.</summary>
[TestFixture]
public sealed class SampleClockTimeWindowTests : GuardHostFixture
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Guard:BackgroundEvaluation"] = "false";
        settings["Guard:EvaluateOnIngest"] = "false";
        var policy = Path.Combine(Path.GetTempPath(), "canarysim-service-tests", Guid.NewGuid().ToString("N") + ".policy.json");
        Directory.CreateDirectory(Path.GetDirectoryName(policy)!);
        File.WriteAllText(policy, """{"window_kind": "time", "window_duration": "00:05:00"}""");
        settings["Guard:PolicyFile"] = policy;
    }

    [Test]
    public async Task A_sample_older_than_the_time_window_is_stored_but_not_judged()
    {
        var old = new { engine = "v2", at = GuardHost.Start.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm:ssZ"), latency_ms = 9000, quality = 10, cost_cents = 1 };
        var fresh = new { engine = "v2", latency_ms = 300, quality = 94, cost_cents = 1 };

        var response = await Host.Authorized.PostAsync("/guard/samples", GuardHost.Json(JsonSerializer.Serialize(new object[] { old, fresh })));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(body["accepted"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(body["outside_window"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(body["window"]!["v2"]!["count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(body["window"]!["v2"]!["p95_latency_ms"]!.GetValue<double>(), Is.EqualTo(300));
    }
}
