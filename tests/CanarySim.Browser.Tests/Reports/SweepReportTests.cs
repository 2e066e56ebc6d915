using CanarySim.Browser.Tests.Dashboard;
using CanarySim.Harness.Simulation;
using CanarySim.Harness.Sweeps;
using CanarySim.Reports.Sweeps;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CanarySim.Browser.Tests.Reports;

/// <summary>
/// The sweep report is one self-contained HTML page: a real sweep of the latency-regression plan (healthy and v2
/// latency +40 % … +80 % from day 9) is rendered, opened from disk in Debian's Chromium with every network request
/// refused, and the power curve with its interval band, the time-to-rollback chart and the tables are checked as
/// drawn; the page is kept as reports/browser/sweep-report.png.
/// </summary>
[TestFixture]
public sealed class SweepReportTests : ChromiumFixture
{
    [Test]
    public async Task The_power_curve_and_rollback_times_render_offline()
    {
        var planPath = Path.Combine(Repository.Root(), "fixtures", "plans", "planner-latency-regression.yaml");
        var plan = PlanFile.Load(planPath).Plan;
        var seeds = SeedRange.Parse("1-6");
        var scenarios = InjectionRange.Scenarios(["v2.latency+40%..+80% step 20% at day 9"], plan.Start);
        var outcome = new SweepRunner(plan, new SweepSettings { Seeds = seeds, Scenarios = scenarios, Requests = 40_000, ArtifactBase = Path.GetDirectoryName(planPath)! }).Run();
        var identity = new SweepIdentity(plan.Name, Path.GetFileName(planPath), new string('0', 64), SweepIdentity.PlanTriggers, null, seeds.ToString(), 40_000,
            scenarios.Select(SweepScenarioInfo.Of).ToList(), null, SweepIdentity.CurrentVersion, SweepIdentity.CurrentBuild);
        var summary = SweepSummary.Build(identity, SweepShard.Whole, outcome.Runs, outcome.Planned, outcome.Partial);
        Assert.That(summary.Scenarios[^1].Detected, Is.GreaterThan(0), "v2 latency +80 % is caught at least once: the charts have something to draw");
        var html = Path.Combine(Repository.ScreenshotDirectory(), "sweep-report.html");
        await File.WriteAllTextAsync(html, SweepHtmlWriter.Render(summary));

        await using var offline = await OfflinePage.OpenAsync(Browser, html, 1200, 900);
        var page = offline.Page;

        await Expect(page.Locator("h1")).ToContainTextAsync("planner-latency-regression");
        var power = page.Locator("svg.power");
        await Expect(power).ToBeVisibleAsync();
        var box = await power.BoundingBoxAsync();
        Assert.That(box!.Width, Is.GreaterThan(600), "the power curve is drawn at a readable size");
        Assert.That(await power.Locator("circle.pt").CountAsync(), Is.EqualTo(3), "one point per step of the range");
        var band = await power.Locator("polygon.band").BoundingBoxAsync();
        Assert.That(band, Is.Not.Null);
        Assert.That(band!.Height, Is.GreaterThan(10), "the 95 % interval band has visible height with 6 runs per step");
        await Expect(power.Locator("text", new LocatorLocatorOptions { HasText = "false-alarm rate" })).ToBeVisibleAsync();
        var ttr = page.Locator("svg.ttr");
        await Expect(ttr).ToBeVisibleAsync();
        Assert.That(await ttr.Locator("circle.dot").CountAsync(), Is.EqualTo(summary.Scenarios.Sum(s => s.Detected ?? 0)), "one dot per detected run");
        Assert.That(await page.Locator("#scenarios tbody tr").CountAsync(), Is.EqualTo(4), "healthy and three steps");
        await Expect(page.Locator("#scenarios tbody tr").First).ToContainTextAsync("healthy");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.ScreenshotDirectory(), "sweep-report.png"), FullPage = true });
        Assert.That(offline.Refused, Is.Empty, "the report is self-contained: it loads nothing from the network");
    }
}
