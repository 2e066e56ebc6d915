namespace CanarySim.Service.Tests.Api;

[TestFixture]
public sealed class ConfigEndpointTests : GuardHostFixture
{
    [Test]
    public async Task Put_config_changes_the_live_settings_and_records_who_and_why()
    {
        var response = await Host.PutConfigAsync("""{"canary_pct": 5.0, "updated_by": "admin", "reason": "initial_canary"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(body["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(5.0));
        // The seed's API moved a primary router to canary when given a percentage.
        Assert.That(body["settings"]!["mode"]!.GetValue<string>(), Is.EqualTo("canary"));
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(5.0));

        var status = await Host.StatusAsync();
        var entry = status["timeline"]!.AsArray()[0]!;
        Assert.Multiple(() =>
        {
            Assert.That(entry["actor"]!.GetValue<string>(), Is.EqualTo("admin"));
            Assert.That(entry["reason"]!.GetValue<string>(), Is.EqualTo("initial_canary"));
            Assert.That(entry["kind"]!.GetValue<string>(), Is.EqualTo("config"));
            Assert.That(entry["before"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(0));
            Assert.That(entry["after"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(5.0));
            Assert.That(entry["at"]!.GetValue<DateTimeOffset>(), Is.EqualTo(GuardHost.Start));
        });
    }

    [TestCase("candidate", """{"canary_pct": 5, "reason": "r"}""", "canary")]
    [TestCase("canary", """{"canary_pct": 0, "reason": "r"}""", "canary")]
    [TestCase("shadow", """{"canary_pct": 0, "reason": "r"}""", "shadow")]
    [TestCase("shadow", """{"kill_switch": false, "reason": "r"}""", "shadow")]
    public async Task A_percentage_above_0_without_a_mode_means_canary_mode_and_0_keeps_the_mode(string before, string body, string expected)
    {
        var first = await Host.PutConfigAsync($$"""{"mode": "{{before}}", "reason": "r"}""");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        var response = await Host.PutConfigAsync(body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["settings"]!["mode"]!.GetValue<string>(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Explicit_mode_is_kept_and_salt_and_phase_change()
    {
        var response = await Host.PutConfigAsync("""{"canary_pct": 50, "mode": "shadow", "salt": "s2", "phase": "phase8", "reason": "r"}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var s = Host.Runtime.Live.Current;
        Assert.Multiple(() =>
        {
            Assert.That(s.Mode, Is.EqualTo(Core.Routing.RouterMode.Shadow));
            Assert.That(s.Salt, Is.EqualTo("s2"));
            Assert.That(s.Phase, Is.EqualTo("phase8"));
            Assert.That(s.CanaryPct, Is.EqualTo(50));
        });
    }

    [Test]
    public async Task Turning_the_kill_switch_off_is_a_recorded_re_enable()
    {
        Assert.That((await Host.PutConfigAsync("""{"kill_switch": true, "reason": "incident"}""")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.True);

        var response = await Host.PutConfigAsync("""{"kill_switch": false, "canary_pct": 5.0, "reason": "fix_applied", "updated_by": "bob"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var changes = (await response.Content.ReadFromJsonAsync<JsonObject>())!["changes"]!.AsArray();
        Assert.That(changes.Select(c => c!["kind"]!.GetValue<string>()), Does.Contain("re_enable"));
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.False);
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(5.0));
        Assert.That(Host.Runtime.Guard.Controller.State, Is.EqualTo(Core.Rollback.RollbackState.Active));
    }

    [Test]
    public async Task A_change_to_the_same_values_records_nothing()
    {
        await Host.PutConfigAsync("""{"canary_pct": 5, "reason": "a"}""");
        var response = await Host.PutConfigAsync("""{"canary_pct": 5, "reason": "b"}""");
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(body["changes"]!.AsArray(), Is.Empty);
        Assert.That((await Host.StatusAsync())["timeline"]!.AsArray(), Has.Count.EqualTo(1));
    }

    private static IEnumerable<TestCaseData> BadBodies()
    {
        yield return new TestCaseData("""{"canary_pct": 150, "reason": "r"}""", "canary_pct").SetName("pct above 100");
        yield return new TestCaseData("""{"canary_pct": -0.5, "reason": "r"}""", "canary_pct").SetName("pct below 0");
        yield return new TestCaseData("""{"canary_pct": "NaN", "reason": "r"}""", "canary_pct").SetName("pct NaN as a string");
        yield return new TestCaseData("""{"canary_pct": NaN, "reason": "r"}""", "not valid JSON").SetName("pct NaN literal");
        yield return new TestCaseData("""{"canary_pct": "ten", "reason": "r"}""", "canary_pct").SetName("pct non-numeric");
        yield return new TestCaseData("""{"canary_pct": "10", "reason": "r"}""", "canary_pct").SetName("pct numeric string");
        yield return new TestCaseData("""{"canary_pct": null, "reason": "r"}""", "canary_pct").SetName("pct null");
        yield return new TestCaseData("""{"canary_pct": 1e400, "reason": "r"}""", "canary_pct").SetName("pct infinite");
        yield return new TestCaseData("""{"mode": "blue-green", "reason": "r"}""", "unknown mode").SetName("unknown mode");
        yield return new TestCaseData("""{"mode": 3, "reason": "r"}""", "$.mode: expected a string").SetName("mode not a string");
        yield return new TestCaseData("""{"kill_switch": "yes", "reason": "r"}""", "kill_switch").SetName("kill switch not a bool");
        yield return new TestCaseData("""{"canary_pct": 5, "reason": "r", "canary_percent": 5}""", "unknown field 'canary_percent'").SetName("unknown field");
        yield return new TestCaseData("""{"segments": {"payroll": {"canary_pct": 5}}, "reason": "r"}""", "$.segments.payroll: missing required field 'enabled'").SetName("segment without enabled");
        yield return new TestCaseData("""{"segments": {"payroll": {"enabled": true, "canary_pct": 120}}, "reason": "r"}""", "segments.payroll.canary_pct").SetName("segment pct out of range");
        yield return new TestCaseData("""{"segments": ["payroll"], "reason": "r"}""", "$.segments: expected a JSON object").SetName("segments not an object");
        yield return new TestCaseData("""{"cohort": "vip-1", "reason": "r"}""", "$.cohort: expected a JSON array").SetName("cohort not an array");
        yield return new TestCaseData("""{"cohort": ["vip-1", 7], "reason": "r"}""", "cohort[1]").SetName("cohort key not a string");
        yield return new TestCaseData("""{"reason": "r"}""", "nothing to change").SetName("nothing to change");
        yield return new TestCaseData("""[1,2]""", "JSON object").SetName("array body");
        yield return new TestCaseData("""{"canary_pct": 5,""", "not valid JSON").SetName("malformed JSON");
        yield return new TestCaseData("", "empty").SetName("empty body");
        yield return new TestCaseData("{\"canary_pct\": 5, \"reason\": \"" + new string('x', 501) + "\"}", "at most 500").SetName("reason too long");
    }

    [TestCaseSource(nameof(BadBodies))]
    public async Task Bad_body_gets_400_with_a_reason_and_changes_nothing(string body, string expected)
    {
        var before = Host.Runtime.Live.Current;

        var response = await Host.PutConfigAsync(body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(error["error"]!.GetValue<string>(), Is.EqualTo("bad_request"));
        Assert.That(error["reason"]!.GetValue<string>(), Does.Contain(expected));
        Assert.That(Host.Runtime.Live.Current, Is.EqualTo(before));
        Assert.That((await Host.StatusAsync())["timeline"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Oversized_body_is_refused_and_changes_nothing()
    {
        var huge = "{\"canary_pct\": 5, \"reason\": \"r\", \"pad\": \"" + new string('x', 2 * 1024 * 1024) + "\"}";

        var response = await Host.PutConfigAsync(huge);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "SPEC §5: oversized payloads are bad bodies (400)");
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(error["error"]!.GetValue<string>(), Is.EqualTo("payload_too_large"));
        Assert.That(error["reason"]!.GetValue<string>(), Does.Contain("larger than the limit"));
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(0));
    }

    [Test]
    public async Task Oversized_body_without_content_length_is_refused_while_reading()
    {
        var huge = "{\"canary_pct\": 5, \"reason\": \"" + new string('x', 2 * 1024 * 1024) + "\"}";
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge)));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/guard/config") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await Host.Authorized.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(0));
    }

    [Test]
    public async Task Segments_and_cohort_are_set_through_config_and_route_accordingly()
    {
        var response = await Host.PutConfigAsync("""
            {"canary_pct": 0, "mode": "canary", "segments": {"expense_review": {"enabled": false}, "inbox_triage": {"enabled": true, "canary_pct": 100}},
             "cohort": ["vip-7"], "reason": "pilot: inbox triage fully on v2, expenses held back, one VIP tester"}
            """);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        async Task<(string Selected, string Reason)> Route(string body)
        {
            var decision = (await (await Host.Authorized.PostAsync("/guard/route", GuardHost.Json(body))).Content.ReadFromJsonAsync<JsonObject>())!;
            return (decision["selected"]!.GetValue<string>(), decision["reason"]!.GetValue<string>());
        }
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Route("""{"session_id":"s-1","segment":"inbox_triage"}"""), Is.EqualTo(("v2", "canary")));
            Assert.That(await Route("""{"session_id":"s-1","segment":"expense_review"}"""), Is.EqualTo(("v1", "segment_disabled")));
            Assert.That(await Route("""{"session_id":"vip-7"}"""), Is.EqualTo(("v2", "cohort")));
            Assert.That(await Route("""{"session_id":"s-1"}"""), Is.EqualTo(("v1", "default")));
        });
        var settings = (await Host.StatusAsync())["settings"]!;
        Assert.That(settings["segments"]!["expense_review"]!["enabled"]!.GetValue<bool>(), Is.False);
        Assert.That(settings["cohort"]!.AsArray().Select(k => k!.GetValue<string>()), Is.EqualTo(new[] { "vip-7" }));

        await Host.PutConfigAsync("""{"segments": {}, "cohort": [], "reason": "pilot over"}""");
        Assert.That(await Route("""{"session_id":"vip-7"}"""), Is.EqualTo(("v1", "default")));
    }

    [Test]
    public async Task Settings_survive_a_restart_on_the_same_database()
    {
        await Host.PutConfigAsync("""{"canary_pct": 25, "segments": {"payroll": {"enabled": false}}, "cohort": ["vip-1"], "reason": "ramp"}""");
        var path = Host.DatabasePath;
        Host.Runtime.Dispose();
        using var second = new GuardHost(databasePath: path);

        var status = await second.StatusAsync();

        Assert.That(status["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(25));
        Assert.That(status["settings"]!["segments"]!["payroll"]!["enabled"]!.GetValue<bool>(), Is.False);
        Assert.That(status["settings"]!["cohort"]![0]!.GetValue<string>(), Is.EqualTo("vip-1"));
        Assert.That(status["timeline"]!.AsArray(), Has.Count.EqualTo(1));
    }
}
