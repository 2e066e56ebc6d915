using CanarySim.Core.Gating;
using CanarySim.Core.Rollback;
using CanarySim.Service.Guard;
using CanarySim.Service.Rollout;
using Microsoft.Extensions.DependencyInjection;

namespace CanarySim.Service.Tests.Rollout;

/// <summary>
/// #18: a live plan with a release gate and a rollback rehearsal reaches 100 %: the rollout waits visibly for the
/// stage's artifacts, Core's release gate judges the posted set once (report stored and served), GO promotes and NO-GO
/// rolls back; the rehearsal stores the kill switch, routes its smoke scenarios through the live router to v1 and
/// restores the stage before the promotion.
/// </summary>
[TestFixture]
public sealed class LiveGateTests : LiveRolloutHostFixture
{
    private static string Raw(string file) => File.ReadAllText(RepositoryFile.Path("fixtures/uat/stages/" + file));

    private static string Artifacts(string stage, params string[] files) =>
        $$"""{"stage": "{{stage}}", "actor": "uat-ci", "artifacts": [{{string.Join(", ", files.Select(Raw))}}]}""";

    private async Task ToStage25Async()
    {
        Start(LivePlans.ToFull());
        await Host.PostSamplesAsync(GuardHost.Samples(100));
        await TickAsync(4);
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(25));
    }

    private static IEnumerable<string> Events(JsonObject view) => view["history"]!.AsArray().Select(h => h!["event"]!.GetValue<string>());

    [Test]
    public async Task A_plan_with_a_release_gate_and_a_rehearsal_reaches_100_percent_live()
    {
        await ToStage25Async();

        await TickAsync(6); // hold served and healthy: only the artifacts are missing
        var view = await RolloutAsync();
        Assert.Multiple(() =>
        {
            Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(25), "no promotion before the release gate judged artifacts");
            Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.False, "waiting for artifacts is not a NO-GO");
            Assert.That(view["state"]!.GetValue<string>(), Is.EqualTo("running"));
            Assert.That(view["waiting_for"]!.AsArray().Select(w => w!.GetValue<string>()),
                Is.EqualTo(new[] { "waiting for release gate artifacts (POST /guard/rollout/artifacts for stage canary-25)" }));
        });

        var posted = await PostAsync("/guard/rollout/artifacts", Artifacts("canary-25", "stage25_raw1.json", "stage25_raw2.json"));
        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await posted.Content.ReadAsStringAsync());
        Assert.That(Events((await posted.Content.ReadFromJsonAsync<JsonObject>())!).Last(), Is.EqualTo("artifacts"));

        await TickAsync(1); // judged GO: promoted at once (the healthy streak stood while it waited)
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(50));
        view = await RolloutAsync();
        var gate = view["gates"]!.AsArray().Single()!;
        Assert.That(gate["passed"]!.GetValue<bool>(), Is.True);
        Assert.That(gate["detail"]!.GetValue<string>(), Does.StartWith("release gate stage 25: GO → 50"));
        var reportName = gate["report"]!.GetValue<string>();
        Assert.That(reportName, Is.EqualTo("live-full_canary-25_release_gate_stage25"));
        var report = GateReportReader.Parse(await Host.Authorized.GetStringAsync("/guard/rollout/reports/" + reportName), "served report");
        Assert.Multiple(() =>
        {
            Assert.That(report.OverallGo, Is.True);
            Assert.That(report.Inputs.Select(i => i.Source).ToList(), Has.Count.EqualTo(2));
        });

        await TickAsync(3); // 30 s at 50 %: the rehearsal runs, the stage is restored, then 100 %
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(100));
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.False);
        await TickAsync(3);
        view = await RolloutAsync();
        Assert.That(view["state"]!.GetValue<string>(), Is.EqualTo("completed"));
        Assert.That(Events(view), Is.EqualTo(new[] { "started", "advanced", "artifacts", "gate_passed", "advanced", "gate_passed", "advanced", "completed" }));

        var changes = Host.Runtime.History(50).Reverse().Select(c => (c.Actor, c.After.CanaryPct, c.After.KillSwitch)).ToList();
        Assert.That(changes, Is.EqualTo(new[]
        {
            ("plan", 5.0, false),
            ("plan", 25.0, false),
            ("plan", 50.0, false),
            ("rollback-rehearsal", 50.0, true), // every request to v1 while the smoke scenarios are routed
            ("rollback-rehearsal", 50.0, false), // restored after they passed
            ("plan", 100.0, false),
        }));
        var audit = Host.Services.GetRequiredService<GuardStores>().AuditReader;
        var rehearsal = JsonNode.Parse(audit.Read("rehearsal").Single().Data)!;
        Assert.That(rehearsal["passed"]!.GetValue<bool>(), Is.True);
        Assert.That(rehearsal["smoke"]!.AsArray().Select(s => (s!["scenario"]!.GetValue<string>(), s["served_by"]!.GetValue<string>(), s["reason"]!.GetValue<string>())),
            Is.EqualTo(new[] { ("FIN-01", "v1", "kill_switch"), ("SAL-01", "v1", "kill_switch") }));
        Assert.That(audit.Read(RolloutArtifacts.ReportEventType), Has.Count.EqualTo(1), "judged once");
    }

    [Test]
    public async Task A_no_go_release_gate_rolls_the_live_plan_back_and_stores_the_report()
    {
        await ToStage25Async();
        var posted = await PostAsync("/guard/rollout/artifacts", Artifacts("canary-25", "stage25_role_parity_raw1.json", "stage25_role_parity_raw2.json"));
        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await posted.Content.ReadAsStringAsync());
        await TickAsync(1);
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(25), "judged only when the stage is otherwise ready (20 s of the 30 s hold served)");
        Assert.That(Host.Services.GetRequiredService<GuardStores>().AuditReader.Read(RolloutArtifacts.ReportEventType), Is.Empty);

        await TickAsync(1);
        Assert.That(Host.Runtime.Live.Current.KillSwitch, Is.True, "NO-GO: back to v1");
        var view = await RolloutAsync();
        Assert.Multiple(() =>
        {
            Assert.That(view["state"]!.GetValue<string>(), Is.EqualTo("rolled_back"));
            Assert.That(Events(view).TakeLast(2), Is.EqualTo(new[] { "gate_failed", "rolled_back" }));
            Assert.That(view["gates"]!.AsArray().Single()!["detail"]!.GetValue<string>(), Does.Contain("NO-GO (role_parity)"));
        });
        var last = Host.Runtime.History(1).Single();
        Assert.That((last.Actor, last.Kind), Is.EqualTo(("plan", SettingsChangeKind.Rollback)));
        var report = GateReportReader.Parse(await Host.Authorized.GetStringAsync("/guard/rollout/reports/live-full_canary-25_release_gate_stage25"), "served report");
        Assert.That(report.OverallGo, Is.False);
        Assert.That(report.Defects.Select(d => d.Check), Is.EqualTo(new[] { "role_parity" }));
    }

    [Test]
    public async Task Artifacts_that_cannot_be_judged_are_400_and_posts_that_do_not_fit_are_409()
    {
        await ToStage25Async();
        var bad = await PostAsync("/guard/rollout/artifacts", """{"stage": "canary-25", "artifacts": [{"schema": "canarysim.uat-raw/v1", "cases": [{"case_id": "FIN-01", "role": "ai.reader", "started_at": "2026-02-19T10:00:05Z"}]}]}""");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await bad.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>(), Does.Contain("artifacts[0]").And.Contain("passed"));
        var none = await PostAsync("/guard/rollout/artifacts", """{"stage": "canary-25", "artifacts": []}""");
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        var noGate = await PostAsync("/guard/rollout/artifacts", Artifacts("progressive-50", "stage50_raw1.json"));
        Assert.That(noGate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await noGate.Content.ReadAsStringAsync(), Does.Contain("stage 'progressive-50' has no release gate"));

        await PostAsync("/guard/rollout/artifacts", Artifacts("canary-25", "stage25_raw1.json", "stage25_raw2.json"));
        await TickAsync(3);
        Assert.That(Host.Runtime.Live.Current.CanaryPct, Is.EqualTo(50));
        var late = await PostAsync("/guard/rollout/artifacts", Artifacts("canary-25", "stage25_raw1.json"));
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await late.Content.ReadAsStringAsync(), Does.Contain("stage 'canary-25' was already left"));
        Assert.That((await Host.Client.PostAsync("/guard/rollout/artifacts", GuardHost.Json(Artifacts("canary-25", "stage25_raw1.json")))).StatusCode,
            Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
