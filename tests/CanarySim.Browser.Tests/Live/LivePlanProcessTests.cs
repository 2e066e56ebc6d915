using System.Text.Json.Nodes;
using CanarySim.Browser.Tests.Dashboard;
using CanarySim.Testing;
using static CanarySim.Browser.Tests.Live.LivePlanProcess;

namespace CanarySim.Browser.Tests.Live;

/// <summary>
/// #18 end to end: the built CLI runs <c>canarysim serve --plan</c> as a child process on the wall clock
/// (TimeProvider.System): a short plan promotes 5 → 25 % (after the approval) → 50 %, survives a SIGKILL
/// between stages (the restarted process resumes the same stage with its hold already served, never
/// repeating or skipping one), and rolls back on bad v2 samples. The measured latencies are printed.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LivePlanProcessTests
{
    /// <summary>
    /// canary-25's hold in the restart test: the SIGKILL and the restart should both fall inside it, so that "the same
    /// stage" is seen. A restart takes a second or two; a CI machine at a load average of 40 has taken over 20 s, and
    /// then the restarted process rightly advances at once: the test checks that case too (never before the hold ended).
    /// </summary>
    private const int RestartHoldSeconds = 20;

    private TempDirectory _dir = null!;

    [SetUp]
    public void Folder() => _dir = new TempDirectory("live-plan-tests");

    [TearDown]
    public void Clean() => _dir.Dispose();

    [Test]
    public async Task A_killed_service_resumes_the_same_stage_with_its_hold_served_and_finishes_the_plan()
    {
        var plan = WritePlan(_dir.Path, hold5: "1s", hold25: $"{RestartHoldSeconds}s", hold50: "1s");
        var first = await ServeProcess.StartAsync("--plan", plan);
        Assert.That(first.StartLine, Does.Contain("plan 'live-test' runs live").And.Contain("ignored live: traffic, inject, start, duration"));
        await first.PostAsync("/guard/samples", Samples(100));
        await first.PostAsync("/guard/rollout/approve", """{"stage": "canary-5", "approver": "release-manager", "reason": "looks fine"}""");
        var at25 = await WaitForAsync(first, stage: "canary-25");
        var entered = at25["entered_at"]!.GetValue<DateTimeOffset>();

        first.Kill(); // SIGKILL inside canary-25's hold (unless this process was descheduled for longer than it)
        using var second = await ServeProcess.RestartAsync(first);
        // The child process runs on the system clock, so the bound reads the same clock. Taken before the read, so the
        // service's own 'now' is at least this: no slack for a slow answer is needed.
        var restartedAt = TimeProvider.System.GetUtcNow();
        var resumed = await RolloutAsync(second);
        var readAt = TimeProvider.System.GetUtcNow();
        var holdEnds = entered.AddSeconds(RestartHoldSeconds);
        if (resumed["stage"]!.GetValue<string>() == "canary-25")
        {
            Assert.Multiple(() =>
            {
                Assert.That(resumed["entered_at"]!.GetValue<DateTimeOffset>(), Is.EqualTo(entered), "entered when it was, not at the restart");
                Assert.That(resumed["hold_remaining_s"]!.GetValue<double>(), Is.LessThanOrEqualTo(Math.Max(0, RestartHoldSeconds - (restartedAt - entered).TotalSeconds) + 0.001),
                    "the hold served before the kill counts (0 when it was all served and the runner has not ticked yet; 0.001: the view rounds to ms)");
            });
            var status = await second.StatusAsync();
            Assert.That(status["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(25));
            TestContext.Out.WriteLine($"restarted {(restartedAt - entered).TotalSeconds:0.0} s into canary-25's {RestartHoldSeconds} s hold: resumed the same stage");
        }
        else
        {
            // A loaded machine can make the kill and restart outlast the hold: the restarted process then rightly moves on
            // at once. It must not have moved on before the hold ended; the history below shows no stage repeated or skipped.
            Assert.That(readAt, Is.GreaterThanOrEqualTo(holdEnds), $"the restarted process left canary-25 for {resumed["stage"]} before its hold ended");
            TestContext.Out.WriteLine($"restart took {(restartedAt - entered).TotalSeconds:0.0} s, longer than canary-25's {RestartHoldSeconds} s hold: the restarted process moved on to {resumed["stage"]}");
        }

        var at50 = await WaitForAsync(second, stage: "progressive-50");
        var done = await WaitForAsync(second, state: "completed");
        var events = done["history"]!.AsArray().Select(h => $"{h!["event"]!.GetValue<string>()} {h["stage"]!.GetValue<string>()}").ToList();
        Assert.That(events, Is.EqualTo(new[]
        {
            "started canary-5", "approved canary-5", "advanced canary-25", "advanced progressive-50", "completed progressive-50",
        }), "no stage repeated or skipped across the kill");
        var advancedAt = at50["entered_at"]!.GetValue<DateTimeOffset>();
        Assert.That(advancedAt - entered, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(RestartHoldSeconds)), "never before the hold was served");
        TestContext.Out.WriteLine($"hold of canary-25 served at {entered.AddSeconds(RestartHoldSeconds):O}; canary_pct 25 -> 50 at {advancedAt:O} " +
                                  $"({(advancedAt - entered.AddSeconds(RestartHoldSeconds)).TotalMilliseconds:0} ms after; restart took {(restartedAt - entered).TotalSeconds:0.0} s from the stage's entry)");
    }

    [Test]
    public async Task Bad_v2_samples_roll_the_live_plan_back_to_v1()
    {
        // canary-25 is held long enough that the bad samples always arrive while it is the stage, however slow the machine
        // (the rollback comes at once, so the long hold costs nothing); with a 1 s hold, a test process descheduled for a
        // few seconds after seeing canary-25 would post them after the plan had moved on or completed.
        var plan = WritePlan(_dir.Path, hold25: "10m");
        using var serve = await ServeProcess.StartAsync("--plan", plan);
        await serve.PostAsync("/guard/samples", Samples(100));
        await serve.PostAsync("/guard/rollout/approve", """{"stage": "canary-5", "approver": "release-manager", "reason": "ok"}""");
        await WaitForAsync(serve, stage: "canary-25");

        // Printed only (trigger to v1 of a real process, on its system clock); nothing is asserted on these two reads.
        var sent = TimeProvider.System.GetUtcNow();
        await serve.PostAsync("/guard/samples", Samples(100, v2Quality: 80));
        var answered = TimeProvider.System.GetUtcNow();

        // The evaluation on ingest rolls back; the runner records it at its next tick.
        var view = await WaitForEventAsync(serve, "rolled_back");
        Assert.That(view["state"]!.GetValue<string>(), Is.EqualTo("rolled_back"));
        Assert.That(view["history"]!.AsArray().Last()!["reason"]!.GetValue<string>(), Does.Contain("quality"));
        var route = await serve.Http.PostAsync("/guard/route", new StringContent("""{"session_id":"any"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(await route.Content.ReadAsStringAsync(), Does.Contain("\"selected\":\"v1\""));
        var status = await serve.StatusAsync();
        Assert.That(status["settings"]!["kill_switch"]!.GetValue<bool>(), Is.True);
        var timeline = status["timeline"]!.AsArray();
        Assert.That(timeline.Select(t => t!["actor"]!.GetValue<string>()), Does.Contain("plan").And.Contain("auto"));
        var rollback = timeline.First(t => t!["kind"]!.GetValue<string>() == "rollback")!["at"]!.GetValue<DateTimeOffset>();
        TestContext.Out.WriteLine($"bad samples POST answered {(answered - sent).TotalMilliseconds:0} ms after it was sent; kill switch committed (v1 for everyone) {(rollback - sent).TotalMilliseconds:0} ms after it was sent");
    }

    [Test]
    public async Task A_real_service_judges_posted_artifacts_rehearses_the_rollback_and_reaches_100_percent()
    {
        var plan = Path.Combine(Repository.Root(), "fixtures", "plans", "live-full.yaml");
        using var serve = await ServeProcess.StartAsync("--plan", plan);
        Assert.That(serve.StartLine, Does.Contain("release gate artifact paths"));
        await serve.PostAsync("/guard/samples", Samples(100));
        var waiting = await WaitForAsync(serve, stage: "canary-25");
        Assert.That(waiting["waiting_for"]!.AsArray().Select(w => w!.GetValue<string>()),
            Does.Contain("waiting for release gate artifacts (POST /guard/rollout/artifacts for stage canary-25)"));

        var raws = string.Join(", ", new[] { "stage25_raw1.json", "stage25_raw2.json" }
            .Select(f => File.ReadAllText(Path.Combine(Repository.Root(), "fixtures", "uat", "stages", f))));
        await serve.PostAsync("/guard/rollout/artifacts", $$"""{"stage": "canary-25", "actor": "uat-ci", "artifacts": [{{raws}}]}""");

        var done = await WaitForAsync(serve, state: "completed");
        Assert.That(done["history"]!.AsArray().Select(h => $"{h!["event"]!.GetValue<string>()} {h["stage"]!.GetValue<string>()}"), Is.EqualTo(new[]
        {
            "started canary-5", "advanced canary-25", "artifacts canary-25", "gate_passed canary-25", "advanced progressive-50",
            "gate_passed progressive-50", "advanced progressive-100", "completed progressive-100",
        }));
        var status = await serve.StatusAsync();
        Assert.That(status["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(100));
        Assert.That(status["settings"]!["kill_switch"]!.GetValue<bool>(), Is.False);
        var report = JsonNode.Parse(await serve.Http.GetStringAsync("/guard/rollout/reports/live-full_canary-25_release_gate_stage25"))!;
        Assert.That(report["overall_go"]!.GetValue<bool>(), Is.True);

        // What the rehearsal did to production traffic: every request to v1 between its two stored changes.
        var history = JsonNode.Parse(await serve.Http.GetStringAsync("/guard/history?limit=50"))!["changes"]!.AsArray()
            .Where(c => c!["actor"]!.GetValue<string>() == "rollback-rehearsal").Select(c => c!["at"]!.GetValue<DateTimeOffset>()).Order().ToList();
        Assert.That(history, Has.Count.EqualTo(2), "kill switch on, then the stage restored");
        TestContext.Out.WriteLine($"live rollback rehearsal: v1 for all traffic for {(history[1] - history[0]).TotalMilliseconds:0.0} ms (kill switch stored -> stage restored)");
    }
}
