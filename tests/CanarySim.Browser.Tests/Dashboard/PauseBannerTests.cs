using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CanarySim.Browser.Tests.Dashboard;

/// <summary>
/// #15, QA: a truly inconclusive analysis run pauses the rollout visibly. The dashboard of a real
/// <c>canarysim serve --policy fixtures/policies/judge-latency-marginal.json</c> shows
/// "paused: inconclusive (judge, 90)" to anyone who looks, and one Resume (ops token) clears it.
/// </summary>
[TestFixture]
public sealed class PauseBannerTests : ChromiumFixture
{
    [Test]
    public async Task A_truly_inconclusive_run_shows_paused_inconclusive_with_check_and_value_until_resumed()
    {
        using var serve = await ServeProcess.StartAsync("--policy", Path.Combine(Repository.Root(), "fixtures", "policies", "judge-latency-marginal.json"));
        await using var context = await NewDashboardContextAsync();
        var page = await context.NewPageAsync();
        await serve.PutAsync("/guard/config", """{"canary_pct": 10, "reason": "ramp"}""");
        // v2 clearly slower than v1 yet under every latency limit: the judge scores 90, neither pass nor fail.
        var samples = Enumerable.Range(0, 100).SelectMany(i => new object[]
        {
            new { engine = "v1", latency_ms = 800 + i % 20, quality = 95.0, cost_cents = 1.4 },
            new { engine = "v2", latency_ms = 1200 + i % 20, quality = 95.0, cost_cents = 1.4 },
        });
        await serve.PostAsync("/guard/samples", JsonSerializer.Serialize(samples));
        await serve.PostAsync("/guard/evaluate", "{}");

        await OpenDashboardAsync(page, serve.BaseAddress, 400);

        // Without a token: the state and its check are public.
        await Expect(page.GetByTestId("pause-banner")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("pause-text")).ToContainTextAsync("paused: inconclusive (judge, 90) since ");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.ScreenshotDirectory(), "09-paused-inconclusive.png"), FullPage = true });

        await page.Locator("#token-button").ClickAsync();
        await page.GetByTestId("token-input").FillAsync(ServeProcess.Token);
        await page.GetByTestId("token-save").ClickAsync();
        await Expect(page.GetByTestId("resume")).ToBeVisibleAsync();
        await page.GetByTestId("change-note").FillAsync("latency shift accepted by the planner team");
        await page.GetByTestId("resume").ClickAsync();

        await Expect(page.GetByTestId("pause-banner")).ToBeHiddenAsync();
        var latest = page.GetByTestId("timeline").Locator("li").First;
        await Expect(latest).ToContainTextAsync("latency shift accepted by the planner team");
        var status = await serve.StatusAsync();
        Assert.That(status["service"]!["rollback_state"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(status["service"]!["paused"], Is.Null);
        Assert.That(status["timeline"]!.AsArray()[0]!["kind"]!.GetValue<string>(), Is.EqualTo("resume"));
        Assert.That(status["timeline"]!.AsArray()[1]!["reason"]!.GetValue<string>(), Does.StartWith("paused: inconclusive (judge, 90): "));
    }
}
