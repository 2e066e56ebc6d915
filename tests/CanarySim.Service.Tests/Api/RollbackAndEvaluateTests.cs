using CanarySim.Core.Rollback;

namespace CanarySim.Service.Tests.Api;

[TestFixture]
public sealed class RollbackAndEvaluateTests : GuardHostFixture
{
    // Only explicit evaluations here: no interval, no evaluation on ingest.
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Guard:BackgroundEvaluation"] = "false";
        settings["Guard:EvaluateOnIngest"] = "false";
    }

    [Test]
    public async Task Manual_rollback_sets_the_kill_switch_and_zero_percent_with_actor_and_reason()
    {
        await Host.PutConfigAsync("""{"canary_pct": 20, "reason": "ramp"}""");

        var response = await Host.Authorized.PostAsync("/guard/rollback", GuardHost.Json("""{"reason": "payroll answers look wrong", "actor": "carol"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Multiple(() =>
        {
            Assert.That(body["settings"]!["kill_switch"]!.GetValue<bool>(), Is.True);
            Assert.That(body["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(0));
            Assert.That(body["change"]!["kind"]!.GetValue<string>(), Is.EqualTo("rollback"));
            Assert.That(body["change"]!["actor"]!.GetValue<string>(), Is.EqualTo("carol"));
            Assert.That(body["change"]!["reason"]!.GetValue<string>(), Is.EqualTo("payroll answers look wrong"));
            Assert.That(body["change"]!["before"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(20));
        });
        // The router serves v1 to everyone from now on.
        var route = await Host.Authorized.PostAsync("/guard/route", GuardHost.Json("""{"session_id":"s-1"}"""));
        var decision = (await route.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(decision["selected"]!.GetValue<string>(), Is.EqualTo("v1"));
        Assert.That(decision["reason"]!.GetValue<string>(), Is.EqualTo("kill_switch"));
    }

    [TestCase("""{"actor": "carol"}""", "missing required field 'reason'")]
    [TestCase("""{"reason": ""}""", "reason")]
    [TestCase("""{"reason": 5}""", "reason")]
    [TestCase("""{"reason": "r", "force": true}""", "unknown field 'force'")]
    [TestCase("""["r"]""", "JSON object")]
    [TestCase("", "empty")]
    public async Task Bad_rollback_body_gets_400_and_changes_nothing(string body, string expected)
    {
        await Host.PutConfigAsync("""{"canary_pct": 20, "reason": "ramp"}""");

        var response = await Host.Authorized.PostAsync("/guard/rollback", GuardHost.Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>(), Does.Contain(expected));
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.False);
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(20));
    }

    [Test]
    public async Task Resume_clears_a_pause_and_starts_a_new_analysis_run()
    {
        await Host.PutConfigAsync("""{"canary_pct": 20, "reason": "ramp"}""");
        Host.Runtime.Guard.Controller.Apply(CanarySim.Core.Detection.VerdictAction.Pause, []);
        Assert.That(Host.Runtime.Guard.Controller.State, Is.EqualTo(RollbackState.Paused));

        var response = await Host.Authorized.PostAsync("/guard/resume", GuardHost.Json("""{"reason": "cost spike was a batch job", "actor": "dana"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(body["change"]!["kind"]!.GetValue<string>(), Is.EqualTo("resume"));
        Assert.That(body["change"]!["actor"]!.GetValue<string>(), Is.EqualTo("dana"));
        Assert.That(body["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(20));
        Assert.That(Host.Runtime.Guard.Controller.State, Is.EqualTo(RollbackState.Active));
        Assert.That(Host.Runtime.Guard.Run.Measurements, Is.Empty, "a new analysis run");
        var status = await Host.StatusAsync();
        Assert.That(status["service"]!["rollback_state"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [Test]
    public async Task Resume_after_a_rollback_is_409_and_changes_nothing()
    {
        await Host.PutConfigAsync("""{"canary_pct": 20, "reason": "ramp"}""");
        await Host.Authorized.PostAsync("/guard/rollback", GuardHost.Json("""{"reason": "bad answers"}"""));

        var response = await Host.Authorized.PostAsync("/guard/resume", GuardHost.Json("""{"reason": "try again"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>(), Does.Contain("kill_switch"));
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.True);
    }

    [Test]
    public async Task Resume_needs_a_reason()
    {
        var response = await Host.Authorized.PostAsync("/guard/resume", GuardHost.Json("""{"actor": "dana"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>(), Does.Contain("missing required field 'reason'"));
    }

    [Test]
    public async Task Evaluate_without_enough_samples_is_insufficient_data_and_does_nothing()
    {
        await Host.PostSamplesAsync(GuardHost.Samples(10, v2Quality: 50));

        var verdict = await EvaluateAsync();

        Assert.That(verdict["verdict"]!.GetValue<string>(), Is.EqualTo("insufficient_data"));
        Assert.That(verdict["action"]!.GetValue<string>(), Is.EqualTo("none"));
        Assert.That(verdict["change"], Is.Null);
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.False);
    }

    [Test]
    public async Task Evaluate_with_a_regression_rolls_back_and_reports_every_breach()
    {
        await Host.PutConfigAsync("""{"canary_pct": 10, "reason": "ramp"}""");
        await Host.PostSamplesAsync(GuardHost.Samples(40, v2Quality: 82, v2LatencyMs: 1850));

        var verdict = await EvaluateAsync();

        Assert.Multiple(() =>
        {
            Assert.That(verdict["verdict"]!.GetValue<string>(), Is.EqualTo("fail"));
            Assert.That(verdict["action"]!.GetValue<string>(), Is.EqualTo("rollback"));
            Assert.That(verdict["action_taken"]!.GetValue<string>(), Is.EqualTo("rollback"));
            var checks = verdict["breaches"]!.AsArray().Select(b => b!["check"]!.GetValue<string>()).ToList();
            Assert.That(checks, Is.SupersetOf(new[] { "quality", "latency" }));
            Assert.That(verdict["breaches"]!.AsArray().Select(b => b!["reason"]!.GetValue<string>()),
                Does.Contain("quality (V1: 95.0, V2: 82.0, drop: 13.0)"));
            Assert.That(verdict["change"]!["actor"]!.GetValue<string>(), Is.EqualTo("auto"));
            Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.True);
            Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(0));
        });
        var status = await Host.StatusAsync();
        Assert.That(status["evaluation"]!["verdict"]!.GetValue<string>(), Is.EqualTo("fail"));
        Assert.That(status["timeline"]!.AsArray()[0]!["kind"]!.GetValue<string>(), Is.EqualTo("rollback"));
        Assert.That(status["timeline"]!.AsArray()[0]!["breaches"]!.AsArray(), Has.Count.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task Healthy_metrics_after_a_rollback_never_re_enable_it()
    {
        await Host.PutConfigAsync("""{"canary_pct": 10, "reason": "ramp"}""");
        await Host.PostSamplesAsync(GuardHost.Samples(40, v2Quality: 80));
        await EvaluateAsync();
        await Host.PostSamplesAsync(GuardHost.Samples(100));

        var verdict = await EvaluateAsync();

        Assert.That(verdict["verdict"]!.GetValue<string>(), Is.EqualTo("pass"));
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.True);
        Assert.That(Host.Runtime.Guard.Controller.State, Is.EqualTo(RollbackState.RolledBack));
    }

    [Test]
    public async Task Evaluate_rejects_parameters()
    {
        var response = await Host.Authorized.PostAsync("/guard/evaluate", GuardHost.Json("""{"force": true}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Host.Runtime.EvaluationCount, Is.EqualTo(0));
    }

    private Task<JsonObject> EvaluateAsync() => GuardCalls.Body(Host.Authorized.PostAsync("/guard/evaluate", null));
}
