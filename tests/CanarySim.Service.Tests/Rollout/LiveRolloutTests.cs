using CanarySim.Core.Audit;
using CanarySim.Core.Rollback;
using CanarySim.Service.Guard;
using CanarySim.Service.Rollout;
using Microsoft.Extensions.DependencyInjection;

namespace CanarySim.Service.Tests.Rollout;

/// <summary>
/// #18: a short plan run live by the real service (real driver, guard and SQLite store): 5 % → 25 % after the
/// approval → 50 % → completed; every transition a settings change by <c>plan</c> (or the approver) in the
/// history and the audit log; the rollback on bad v2 samples; 409 for approvals that do not fit.
/// </summary>
[TestFixture]
public sealed class LiveRolloutTests : LiveRolloutHostFixture
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_short_plan_promotes_5_then_25_after_approval_then_50_and_completes()
    {
        Start(LivePlans.Short());
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(5), "the plan's first stage is applied at start");
        var view = await RolloutAsync();
        Assert.Multiple(() =>
        {
            Assert.That(view["plan"]!.GetValue<string>(), Is.EqualTo("live-short"));
            Assert.That(view["stage"]!.GetValue<string>(), Is.EqualTo("canary-5"));
            Assert.That(view["state"]!.GetValue<string>(), Is.EqualTo("waiting_approval"));
            Assert.That(view["hold_remaining_s"]!.GetValue<double>(), Is.EqualTo(30));
            Assert.That(view["waiting_for"]!.AsArray().Select(w => w!.GetValue<string>()), Has.Some.StartsWith("hold: 30 s more").And.Some.EqualTo("approval by release-manager"));
        });

        await Host.PostSamplesAsync(GuardHost.Samples(100));
        await TickAsync(5); // 50 s: hold served, healthy, but not approved
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(5), "no promotion without the approval");
        Assert.That((await RolloutAsync())["waiting_for"]!.AsArray().Select(w => w!.GetValue<string>()), Is.EqualTo(new[] { "approval by release-manager" }));

        var approved = await PostAsync("/guard/rollout/approve", """{"stage": "canary-5", "approver": "release-manager", "reason": "dashboards look fine"}""");
        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await approved.Content.ReadAsStringAsync());
        Assert.That((await approved.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>(), Is.EqualTo("running"));

        await TickAsync(1); // an approval only waited for: the healthy streak still stands, so the next evaluation promotes
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(25));
        view = await RolloutAsync();
        Assert.That(view["stage"]!.GetValue<string>(), Is.EqualTo("canary-25"));
        Assert.That(view["entered_at"]!.GetValue<DateTimeOffset>(), Is.EqualTo(Host.Clock.GetUtcNow()));

        await TickAsync(2);
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(25), "the 30 s hold is not served after 20 s");
        await TickAsync(1);
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(50));
        await TickAsync(3);
        view = await RolloutAsync();
        Assert.That(view["state"]!.GetValue<string>(), Is.EqualTo("completed"));
        Assert.That(view["history"]!.AsArray().Select(h => h!["event"]!.GetValue<string>()),
            Is.EqualTo(new[] { "started", "approved", "advanced", "advanced", "completed" }));

        // Every transition is in the settings history, by the plan or the approver.
        var history = Host.Runtime.History(50).Reverse().Select(c => (c.Actor, c.Kind, c.After.CanaryPct)).ToList();
        Assert.That(history, Is.EqualTo(new[]
        {
            ("plan", SettingsChangeKind.Config, 5.0),
            ("release-manager", SettingsChangeKind.Approve, 5.0),
            ("plan", SettingsChangeKind.Config, 25.0),
            ("plan", SettingsChangeKind.Config, 50.0),
        }));
        var audit = Host.Services.GetRequiredService<GuardStores>().AuditReader;
        Assert.That(audit.Read("config").Select(e => e.Data), Has.Some.Contains("canary-25 → progressive-50"));
        Assert.That(audit.Read(RolloutJournal.EventType), Has.Count.EqualTo(5));
    }

    [Test]
    public async Task Advances_approvals_and_the_completion_go_through_the_configured_notifier_and_are_audited()
    {
        using var hook = new WebhookStub(200);
        Start(LivePlans.Short(), services: s => s.PostConfigure<GuardServiceOptions>(o => o.NotifyWebhookUrl = hook.Url.ToString()));
        await Host.PostSamplesAsync(GuardHost.Samples(100));
        await PostAsync("/guard/rollout/approve", """{"stage": "canary-5", "approver": "release-manager", "reason": "dashboards look fine"}""");
        for (var i = 0; i < 9; i++)
        {
            // The webhook's timeout and retry delays run on the virtual clock: let each delivery finish before moving time on.
            await Host.Runtime.NotificationsSettled;
            await TickAsync();
        }
        Assert.That((await RolloutAsync())["state"]!.GetValue<string>(), Is.EqualTo("completed"));

        await Host.Runtime.NotificationsSettled;

        var bodies = hook.Bodies;
        Assert.That(bodies.Select(b => (b["event"]!.GetValue<string>(), b["actor"]!.GetValue<string>(), b["canary_pct_before"]!.GetValue<double>(), b["canary_pct_after"]!.GetValue<double>())),
            Is.EqualTo(new[]
            {
                ("rollout_started", "plan", 0.0, 5.0),
                ("rollout_approved", "release-manager", 5.0, 5.0),
                ("rollout_advanced", "plan", 5.0, 25.0),
                ("rollout_advanced", "plan", 25.0, 50.0),
                ("rollout_completed", "plan", 50.0, 50.0),
            }));
        Assert.That(bodies[1]["reason"]!.GetValue<string>(), Is.EqualTo("plan live-short, stage canary-5: dashboards look fine"));
        var audited = Host.Services.GetRequiredService<GuardStores>().AuditReader.Read(Core.Notification.RollbackProcedure.AuditType)
            .Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.That(audited.Select(a => (a["step"]!.GetValue<string>(), a["event"]!.GetValue<string>(), a["delivered"]!.GetValue<bool>())),
            Has.Exactly(5).Matches<(string Step, string Event, bool Delivered)>(a => a.Step == "notify_rollout" && a.Delivered));
    }

    [Test]
    public async Task The_plans_salt_and_phase_are_applied_with_its_first_stage_and_label_live_route_events()
    {
        Start(LivePlans.Short() with { Salt = "live-salt", Phase = "phase-live" });

        var settings = Host.Runtime.Live.Current;
        Assert.That((settings.Salt, settings.Phase, settings.CanaryPct), Is.EqualTo(("live-salt", "phase-live", 5.0)));
        var start = Host.Runtime.History(10).Single();
        Assert.That((start.Actor, start.Reason), Is.EqualTo(("plan", "rollout starts at canary-5 (salt 'live-salt', phase 'phase-live')")), "one change: stage, salt and phase");

        var route = await Host.Authorized.PostAsync("/guard/route", GuardHost.Json("""{"session_id": "s-1"}"""));
        Assert.That(route.StatusCode, Is.EqualTo(HttpStatusCode.OK), await route.Content.ReadAsStringAsync());
        var routed = JsonNode.Parse(Host.Services.GetRequiredService<GuardStores>().AuditReader.Read("engine_route").Last().Data)!;
        Assert.That(routed["phase"]!.GetValue<string>(), Is.EqualTo("phase-live"));

        // A restart does not apply them again over a later change.
        await Host.PutConfigAsync("""{"salt": "ops-salt", "reason": "reshuffle", "updated_by": "ops"}""");
        Start(LivePlans.Short() with { Salt = "live-salt", Phase = "phase-live" });
        Assert.That(Host.Runtime.Live.Current.Salt, Is.EqualTo("ops-salt"));
    }

    [Test]
    public async Task A_restart_keeps_the_stages_healthy_streak_and_exit_criterion_timer()
    {
        var plan = LivePlans.Short() with { Progression = new Core.Rollout.ProgressionOptions { HealthyEvaluations = 3 } };
        plan = plan with
        {
            Stages = [plan.Stages[0], plan.Stages[1] with { ExitCriteria = [new Core.Rollout.ExitCriterion { Metric = "quality", Op = ">", Value = 90, For = TimeSpan.FromSeconds(20) }] }, plan.Stages[2]],
        };
        Start(plan);
        await Host.PostSamplesAsync(GuardHost.Samples(100));
        await PostAsync("/guard/rollout/approve", """{"stage": "canary-5", "approver": "release-manager", "reason": "ok"}""");
        await TickAsync(3);
        var entered = Host.Clock.GetUtcNow();
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(25));
        await TickAsync(2); // canary-25: 2 of 3 healthy evaluations, quality > 90 held for 10 of 20 s, 20 of 30 s held

        var clock = Host.Clock;
        Start(plan, clock: clock); // restart on the same store
        var view = await RolloutAsync();
        Assert.That(view["healthy_evaluations"]!.GetValue<int>(), Is.EqualTo(2), "the streak survived the restart");

        await TickAsync(1); // 30 s: third healthy evaluation, the criterion has held 20 s, the hold is served
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(50), "left at once, as without the restart");
        view = await RolloutAsync();
        Assert.That(view["entered_at"]!.GetValue<DateTimeOffset>(), Is.EqualTo(entered.AddSeconds(30)));
        Assert.That(Host.Services.GetRequiredService<GuardStores>().AuditReader.Read(RolloutJournal.ProgressEventType).Count, Is.LessThanOrEqualTo(10),
            "progress is stored only when it changes");
    }

    [Test]
    public async Task The_runner_ticks_when_a_hold_ends_and_again_at_once_when_the_last_evaluation_was_measured_just_before_it()
    {
        Start(LivePlans.Short() with { EvaluationInterval = TimeSpan.FromSeconds(10) });
        await Host.PostSamplesAsync(GuardHost.Samples(100));
        await TickAsync(2); // 20 s of canary-5's 30 s hold
        Assert.That(Rollout.NextDelay(), Is.EqualTo(TimeSpan.FromSeconds(10)), "the hold ends 10 s from now: a full interval");
        Host.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.That(Rollout.NextDelay(), Is.EqualTo(TimeSpan.FromSeconds(5.001)), "the tick comes when the hold ends");

        Host.Clock.Advance(TimeSpan.FromMilliseconds(4999));
        await Rollout.TickAsync(); // measured 1 ms before the hold ends
        Host.Clock.Advance(TimeSpan.FromMilliseconds(2)); // the tick took 2 ms: the hold has ended meanwhile
        Assert.That(Rollout.NextDelay(), Is.EqualTo(TimeSpan.FromMilliseconds(1)), "judged again at once, not a whole interval later");
        await Rollout.TickAsync();
        Assert.That(Rollout.NextDelay(), Is.EqualTo(TimeSpan.FromSeconds(10)), "measured after the hold ended: back to the interval");
    }

    [Test]
    public async Task Bad_v2_samples_roll_the_live_rollout_back_to_v1()
    {
        Start(LivePlans.Short(), evaluateOnIngest: true);
        await Host.PostSamplesAsync(GuardHost.Samples(100));
        await Host.Runtime.IngestEvaluationSettled;
        await TickAsync(5);
        await PostAsync("/guard/rollout/approve", """{"stage": "canary-5", "approver": "release-manager", "reason": "ok"}""");
        await TickAsync(2);
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(25));

        // v2 answers with quality 80 against v1's 95: the ingest evaluation rolls back at once.
        await Host.PostSamplesAsync(GuardHost.Samples(100, v2Quality: 80));
        await Host.Runtime.IngestEvaluationSettled;
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.True);

        await TickAsync();
        var view = await RolloutAsync();
        Assert.Multiple(() =>
        {
            Assert.That(view["state"]!.GetValue<string>(), Is.EqualTo("rolled_back"));
            Assert.That(view["history"]!.AsArray().Last()!["event"]!.GetValue<string>(), Is.EqualTo("rolled_back"));
            Assert.That(view["history"]!.AsArray().Last()!["reason"]!.GetValue<string>(), Does.Contain("quality"));
        });
        await TickAsync(3);
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.True, "a rolled-back plan never promotes again");
        var approve = await PostAsync("/guard/rollout/approve", """{"stage": "canary-25", "approver": "release-manager", "reason": "try"}""");
        Assert.That(approve.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await approve.Content.ReadAsStringAsync(), Does.Contain("rolled back"));
    }

    [TestCase("""{"stage": "canary-25", "approver": "release-manager", "reason": "early"}""", "stage 'canary-25' is not waiting for approval: the rollout is at stage 'canary-5'")]
    [TestCase("""{"stage": "canary-5", "approver": "mallory", "reason": "me"}""", "'mallory' may not approve stage 'canary-5': the plan names release-manager")]
    [TestCase("""{"stage": "canary-9", "approver": "release-manager", "reason": "x"}""", "the plan has no stage 'canary-9'")]
    public async Task An_approval_that_does_not_fit_is_409_with_the_reason(string body, string reason)
    {
        Start(LivePlans.Short());

        var response = await PostAsync("/guard/rollout/approve", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>(), Does.StartWith(reason));
        Assert.That((await RolloutAsync())["history"]!.AsArray(), Has.Count.EqualTo(1), "nothing recorded");
    }

    [Test]
    public async Task Approving_twice_is_409_and_a_stage_without_approval_gate_is_409()
    {
        Start(LivePlans.Short());
        await PostAsync("/guard/rollout/approve", """{"stage": "canary-5", "approver": "release-manager", "reason": "ok"}""");

        var again = await PostAsync("/guard/rollout/approve", """{"stage": "canary-5", "approver": "release-manager", "reason": "ok"}""");

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await again.Content.ReadAsStringAsync(), Does.Contain("already approved by release-manager"));
    }

    [Test]
    public async Task Pause_holds_the_stage_and_one_resume_continues_both_recorded_with_the_person()
    {
        Start(LivePlans.Short());
        await Host.PostSamplesAsync(GuardHost.Samples(100));
        await PostAsync("/guard/rollout/approve", """{"stage": "canary-5", "approver": "release-manager", "reason": "ok"}""");

        var paused = await PostAsync("/guard/rollout/pause", """{"actor": "dana", "reason": "incident in another team"}""");
        Assert.That(paused.StatusCode, Is.EqualTo(HttpStatusCode.OK), await paused.Content.ReadAsStringAsync());
        await TickAsync(6);
        var view = await RolloutAsync();
        Assert.Multiple(() =>
        {
            Assert.That(view["state"]!.GetValue<string>(), Is.EqualTo("paused"));
            Assert.That(view["stage"]!.GetValue<string>(), Is.EqualTo("canary-5"));
            Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(5));
        });
        Assert.That((await PostAsync("/guard/rollout/pause", """{"actor": "dana", "reason": "again"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));

        var resumed = await PostAsync("/guard/rollout/resume", """{"actor": "dana", "reason": "incident over"}""");
        Assert.That(resumed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await TickAsync(2);
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(25));
        var changes = Host.Runtime.History(10).Select(c => (c.Actor, c.Kind)).ToList();
        Assert.That(changes, Does.Contain(("dana", SettingsChangeKind.Pause)).And.Contain(("dana", SettingsChangeKind.Resume)));
        Assert.That((await PostAsync("/guard/rollout/resume", """{"actor": "dana", "reason": "x"}""")).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "not paused");
    }

    [Test]
    public async Task Abort_rolls_back_with_the_person_and_the_plan_stops()
    {
        Start(LivePlans.Short());

        var aborted = await PostAsync("/guard/rollout/abort", """{"actor": "erin", "reason": "wrong build"}""");

        Assert.That(aborted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await aborted.Content.ReadAsStringAsync());
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.True);
        var last = Host.Runtime.History(1).Single();
        Assert.That((last.Actor, last.Kind), Is.EqualTo(("erin", SettingsChangeKind.Rollback)));
        Assert.That((await RolloutAsync())["state"]!.GetValue<string>(), Is.EqualTo("rolled_back"));
    }

    [Test]
    public async Task Without_a_plan_the_rollout_endpoints_are_404_and_they_need_tokens()
    {
        using var plain = new GuardHost(s => s["Guard:BackgroundEvaluation"] = "false");
        Assert.That((await plain.Authorized.GetAsync("/guard/rollout")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Start(LivePlans.Short());
        Assert.That((await Host.Client.GetAsync("/guard/rollout")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Host.Client.PostAsync("/guard/rollout/abort", GuardHost.Json("""{"reason": "x"}"""))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_store_that_fails_mid_rollout_freezes_it_and_health_says_so_until_it_recovers()
    {
        var flaky = new FlakyAudit();
        Start(LivePlans.Short(), services: s => s.AddSingleton(sp =>
        {
            var real = GuardStoreFactory.Open(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<GuardServiceOptions>>(), sp.GetRequiredService<TimeProvider>());
            flaky.Inner = real.Audit;
            return real with { Audit = flaky };
        }));
        await Host.PostSamplesAsync(GuardHost.Samples(100));
        await PostAsync("/guard/rollout/approve", """{"stage": "canary-5", "approver": "release-manager", "reason": "ok"}""");
        await TickAsync(2); // 20 s of the 30 s hold

        flaky.Failing = true;
        await TickAsync(3); // hold served and healthy: it would promote now
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(5), "no promotion without a stored transition");
        var health = await Host.Client.GetFromJsonAsync<JsonObject>("/guard/health");
        Assert.That(health!["status"]!.GetValue<string>(), Is.EqualTo("degraded"));
        Assert.That(health["rollout"]!.GetValue<string>(), Does.StartWith("frozen"));
        Assert.That((await RolloutAsync())["frozen"]!.GetValue<string>(), Does.Contain("audit store down"));

        flaky.Failing = false;
        await TickAsync(2);
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(25));
        Assert.That((await Host.Client.GetFromJsonAsync<JsonObject>("/guard/health"))!["status"]!.GetValue<string>(), Is.EqualTo("ok"));
    }

    /// <summary>The audit store, which fails every write while <see cref="Failing"/> (the storage going away).</summary>
    private sealed class FlakyAudit : IAuditSink
    {
        public IAuditSink Inner { get; set; } = null!;

        public bool Failing { get; set; }

        public void Append(AuditEvent e)
        {
            if (Failing)
            {
                throw new IOException("audit store down");
            }
            Inner.Append(e);
        }

        public void AppendRange(IEnumerable<AuditEvent> events)
        {
            if (Failing)
            {
                throw new IOException("audit store down");
            }
            Inner.AppendRange(events);
        }
    }
}
