using CanarySim.Core.Rollback;
using static CanarySim.Service.Tests.Infrastructure.GuardCalls;

namespace CanarySim.Service.Tests.Fleet;

/// <summary>
/// Two guard instances on one SQLite file, as two <c>canarysim serve</c> processes sharing a
/// database would be: a kill switch set on one can never be undone by a stale change on the other,
/// a full replace based on a stale version is refused, and each sees the other's changes within
/// one poll of its clock.
/// </summary>
[TestFixture]
public sealed class SharedSqliteFileTests
{
    private GuardHost _a = null!;
    private GuardHost _b = null!;

    [SetUp]
    public void Start()
    {
        _a = new GuardHost(s => s["Guard:InstanceName"] = "a");
        _b = new GuardHost(s => s["Guard:InstanceName"] = "b", _a.DatabasePath);
        _ = _a.Runtime;
        _ = _b.Runtime;
    }

    [TearDown]
    public void Stop()
    {
        _b.Dispose();
        _a.Dispose();
    }

    [Test]
    public async Task A_stale_partial_update_on_one_instance_never_clears_the_kill_switch_set_on_the_other()
    {
        await Ok(_a.PutConfigAsync("""{"canary_pct": 50, "reason": "ramp"}"""));
        _b.Runtime.Guard.Refresh(new(1, _a.Runtime.Live.Current)); // b serves the ramp, as it would after its next poll
        Assert.That(_b.Runtime.Live.Current.CanaryPct, Is.EqualTo(50));

        await Ok(_a.Authorized.PostAsync("/guard/rollback", GuardHost.Json("""{"reason": "payroll answers look wrong", "actor": "carol"}""")));
        Assert.That(_b.Runtime.Live.Current.KillSwitch, Is.False, "b has not polled yet: its copy is stale");

        var answer = await Body(_b.PutConfigAsync("""{"phase": "p2", "reason": "label the phase"}"""));

        Assert.Multiple(() =>
        {
            Assert.That(answer["settings"]!["kill_switch"]!.GetValue<bool>(), Is.True, "the phase change was applied to the stored settings, not to b's copy");
            Assert.That(answer["settings"]!["phase"]!.GetValue<string>(), Is.EqualTo("p2"));
            Assert.That(answer["settings"]!["version"]!.GetValue<long>(), Is.EqualTo(3));
            Assert.That(_b.Runtime.Live.Current.KillSwitch, Is.True, "b now serves the stored version");
            Assert.That(_a.Runtime.Guard.Controller.Version, Is.EqualTo(2));
        });

        var history = (await Body(_a.Authorized.GetAsync("/guard/history?limit=10")))["changes"]!.AsArray();
        Assert.That(history.Select(c => c!["version"]!.GetValue<long>()), Is.EqualTo(new long[] { 3, 2, 1 }), "newest first");
        Assert.That(history.Select(c => c!["instance"]!.GetValue<string>()), Is.EqualTo(new[] { "b", "a", "a" }));
        for (var i = 0; i + 1 < history.Count; i++)
        {
            Assert.That(history[i]!["before"]!.ToJsonString(), Is.EqualTo(history[i + 1]!["after"]!.ToJsonString()), $"entry {i}'s before is entry {i + 1}'s after");
        }
        Assert.That(history[0]!["before"]!["kill_switch"]!.GetValue<bool>(), Is.True);
        Assert.That(history[0]!["after"]!["kill_switch"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task A_full_replace_based_on_a_stale_version_is_refused_with_the_current_settings()
    {
        var seen = (await _b.StatusAsync())["settings"]!["version"]!.GetValue<long>();
        await Ok(_a.Authorized.PostAsync("/guard/rollback", GuardHost.Json("""{"reason": "stop", "actor": "carol"}""")));

        var response = await _b.PutConfigAsync($$"""{"canary_pct": 30, "kill_switch": false, "mode": "canary", "version": {{seen}}, "reason": "full replace"}""");
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(body["error"]!.GetValue<string>(), Is.EqualTo("conflict"));
            Assert.That(body["reason"]!.GetValue<string>(), Does.Contain($"expected version {seen}").And.Contain("version 1 is stored"));
            Assert.That(body["current"]!["version"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(body["current"]!["kill_switch"]!.GetValue<bool>(), Is.True);
        });
        Assert.That(_a.Runtime.History(10), Has.Count.EqualTo(1), "nothing was recorded");

        var retried = await _b.PutConfigAsync("""{"canary_pct": 30, "kill_switch": false, "version": 1, "reason": "re-enable after reading version 1"}""");
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_a.Runtime.History(1).Single().Kind, Is.EqualTo(SettingsChangeKind.ReEnable));
    }

    [Test]
    public async Task Each_instance_serves_the_others_kill_switch_after_one_poll_of_its_clock()
    {
        await Ok(_a.PutConfigAsync("""{"canary_pct": 100, "reason": "everyone on v2"}"""));
        _b.Clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.That(await Selected(_b, "session-7"), Is.EqualTo("v2"));

        await Ok(_a.Authorized.PostAsync("/guard/rollback", GuardHost.Json("""{"reason": "stop", "actor": "carol"}""")));
        Assert.That(await Selected(_b, "session-7"), Is.EqualTo("v2"), "before b polls");
        _b.Clock.Advance(TimeSpan.FromMilliseconds(250));

        var selected = await Selected(_b, "session-7");
        var status = await _b.StatusAsync();
        Assert.Multiple(() =>
        {
            Assert.That(selected, Is.EqualTo("v1"));
            Assert.That(_b.Runtime.SettingsVersion, Is.EqualTo(2));
            Assert.That(status["settings"]!["kill_switch"]!.GetValue<bool>(), Is.True, "b's dashboard shows it");
            Assert.That(status["timeline"]!.AsArray()[0]!["instance"]!.GetValue<string>(), Is.EqualTo("a"));
        });
    }

    [Test]
    public async Task Exactly_one_of_the_instances_on_one_file_evaluates()
    {
        Assert.That((await _a.Authorized.PostAsync("/guard/evaluate", GuardHost.Json("{}"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var refused = await _b.Authorized.PostAsync("/guard/evaluate", GuardHost.Json("{}"));
        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(_b.Runtime.Evaluate("ingest")["verdict"]!.GetValue<string>(), Is.EqualTo("skipped"));
            Assert.That(File.Exists(_a.DatabasePath + ".evaluator.lock"), Is.True);
            Assert.That(_a.Runtime.IsEvaluator, Is.True);
            Assert.That(_b.Runtime.IsEvaluator, Is.False);
        });
    }

    [Test]
    public async Task History_needs_the_token_and_a_sane_limit()
    {
        Assert.That((await _a.Client.GetAsync("/guard/history")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        foreach (var bad in new[] { "0", "-1", "abc", "10001" })
        {
            var response = await _a.Authorized.GetAsync($"/guard/history?limit={bad}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), bad);
        }
        await Ok(_a.PutConfigAsync("""{"canary_pct": 5, "reason": "one"}"""));
        await Ok(_a.PutConfigAsync("""{"canary_pct": 6, "reason": "two"}"""));
        var one = await Body(_a.Authorized.GetAsync("/guard/history?limit=1"));
        Assert.That(one["changes"]!.AsArray().Single()!["reason"]!.GetValue<string>(), Is.EqualTo("two"));
        Assert.That(one["version"]!.GetValue<long>(), Is.EqualTo(2));
    }
}
