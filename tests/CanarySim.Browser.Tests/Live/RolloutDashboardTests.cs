using CanarySim.Browser.Tests.Dashboard;
using CanarySim.Testing;
using Microsoft.Playwright;
using static CanarySim.Browser.Tests.Live.LivePlanProcess;
using static Microsoft.Playwright.Assertions;

namespace CanarySim.Browser.Tests.Live;

/// <summary>
/// #18: the dashboard of <c>canarysim serve --plan</c> in Chromium shows the plan as a timeline (stages, the
/// current one, hold remaining, what it waits for), and its Approve / Pause / Resume / Abort buttons act on the
/// live rollout with the ops token. Without a token the same timeline shows read-only (no buttons, no approver).
/// </summary>
[TestFixture]
public sealed class RolloutDashboardTests : ChromiumFixture
{
    [Test]
    public async Task The_plan_timeline_shows_the_current_stage_and_its_buttons_approve_pause_resume_and_abort()
    {
        using var dir = new TempDirectory("browser-tests");
        await RunAsync(dir.Path);
    }

    private async Task RunAsync(string dir)
    {
        using var serve = await ServeProcess.StartAsync("--plan", WritePlan(dir, hold5: "1s", hold25: "10m"));
        await serve.PostAsync("/guard/samples", Samples(100));
        await using var context = await NewDashboardContextAsync();
        var page = await context.NewPageAsync();
        await OpenDashboardAsync(page, serve.BaseAddress, 300);
        // Without a token the plan shows read-only: stage, percentage, state and what comes next, no buttons and no approver.
        var card = page.GetByTestId("rollout");
        await Expect(card).ToBeVisibleAsync();
        await Expect(page.GetByTestId("rollout-plan")).ToHaveTextAsync("live-test");
        await Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("waiting approval");
        await Expect(card.Locator("li[data-stage='canary-5']")).ToHaveAttributeAsync("data-status", "current");
        await Expect(page.GetByTestId("rollout-next")).ToHaveTextAsync("Next: stage canary-25 at 25% when the current stage has what it waits for.");
        await Expect(page.GetByTestId("rollout-waiting")).ToContainTextAsync("a manual approval");
        await Expect(page.GetByTestId("rollout-readonly")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("rollout-actions")).ToBeHiddenAsync();
        await Expect(card).Not.ToContainTextAsync("release-manager");
        await Expect(page.GetByTestId("timeline-hint")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.ScreenshotDirectory(), "09-live-plan-read-only.png"), FullPage = true });

        await page.Locator("#token-button").ClickAsync();
        await page.GetByTestId("token-input").FillAsync(ServeProcess.Token);
        await page.GetByTestId("token-save").ClickAsync();

        await Expect(page.GetByTestId("rollout-actions")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("rollout-readonly")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("timeline-hint")).ToBeHiddenAsync();
        await Expect(card.Locator("li[data-stage='canary-5']")).ToHaveAttributeAsync("data-status", "current");
        await Expect(card.Locator("li[data-stage='progressive-50']")).ToHaveAttributeAsync("data-status", "next");
        await Expect(page.GetByTestId("rollout-waiting")).ToContainTextAsync("approval by release-manager");
        await Expect(page.GetByTestId("rollout-approver")).ToHaveValueAsync("release-manager");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.ScreenshotDirectory(), "10-live-plan-waiting-approval.png"), FullPage = true });

        await page.GetByTestId("change-note").FillAsync("canary dashboards are green");
        await page.GetByTestId("rollout-approve").ClickAsync();
        await Expect(card.Locator("li[data-stage='canary-25']")).ToHaveAttributeAsync("data-status", "current");
        await Expect(card.Locator("li[data-stage='canary-5']")).ToHaveAttributeAsync("data-status", "done");
        await Expect(card.Locator("li[data-stage='canary-5']")).ToContainTextAsync("approved by release-manager");
        await Expect(card.Locator("li.current")).ToContainTextAsync("s of hold left");
        await Expect(page.GetByTestId("pct-pill")).ToHaveTextAsync("25% to v2");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.ScreenshotDirectory(), "11-live-plan-at-25.png"), FullPage = true });

        await page.GetByTestId("rollout-pause").ClickAsync();
        await Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("paused");
        await page.GetByTestId("rollout-resume").ClickAsync();
        await Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("running");
        await page.GetByTestId("rollout-abort").ClickAsync();
        await Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("rolled back");
        await Expect(page.GetByTestId("kill-pill")).ToHaveTextAsync("kill switch ON");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.ScreenshotDirectory(), "12-live-plan-aborted.png"), FullPage = true });

        var history = (await RolloutAsync(serve))["history"]!.AsArray().Select(h => $"{h!["event"]!.GetValue<string>()} by {h["actor"]!.GetValue<string>()}").ToList();
        Assert.That(history, Is.EqualTo(new[] { "started by plan", "approved by release-manager", "advanced by plan", "paused by dashboard", "resumed by dashboard", "aborted by dashboard" }));
    }

    [Test]
    public async Task The_timeline_waits_for_release_gate_artifacts_then_shows_the_judged_gate_and_the_rehearsal()
    {
        using var serve = await ServeProcess.StartAsync("--plan", Path.Combine(Repository.Root(), "fixtures", "plans", "live-full.yaml"));
        await serve.PostAsync("/guard/samples", Samples(100));
        await using var context = await NewDashboardContextAsync();
        var page = await context.NewPageAsync();
        await OpenDashboardAsync(page, serve.BaseAddress, 300);
        await page.Locator("#token-button").ClickAsync();
        await page.GetByTestId("token-input").FillAsync(ServeProcess.Token);
        await page.GetByTestId("token-save").ClickAsync();

        var card = page.GetByTestId("rollout");
        await Expect(card.Locator("li[data-stage='canary-25']")).ToHaveAttributeAsync("data-status", "current");
        await Expect(page.GetByTestId("rollout-waiting")).ToContainTextAsync("waiting for release gate artifacts (POST /guard/rollout/artifacts for stage canary-25)");

        var raws = string.Join(", ", new[] { "stage25_raw1.json", "stage25_raw2.json" }
            .Select(f => File.ReadAllText(Path.Combine(Repository.Root(), "fixtures", "uat", "stages", f))));
        await serve.PostAsync("/guard/rollout/artifacts", $$"""{"stage": "canary-25", "actor": "uat-ci", "artifacts": [{{raws}}]}""");

        await Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("completed");
        await Expect(card.Locator("li[data-stage='canary-25'] [data-gate='release_gate']")).ToContainTextAsync("release gate passed: release gate stage 25: GO → 50");
        await Expect(card.Locator("li[data-stage='progressive-50'] [data-gate='rollback_rehearsal']")).ToContainTextAsync("rollback rehearsal passed");
        await Expect(page.GetByTestId("pct-pill")).ToHaveTextAsync("100% to v2");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.ScreenshotDirectory(), "13-live-plan-gates-100.png"), FullPage = true });
    }
}
