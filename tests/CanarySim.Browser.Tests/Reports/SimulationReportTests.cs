using CanarySim.Browser.Tests.Dashboard;
using CanarySim.Core.Reporting;
using CanarySim.Harness.Simulation;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using CanarySim.Reports;

namespace CanarySim.Browser.Tests.Reports;

/// <summary>
/// Issue 7: the simulation report is one self-contained HTML page readable offline. The latency-regression
/// plan is simulated with the real simulator, its report opened from disk in Debian's Chromium with every
/// network request refused, and the SVG charts, threshold lines, markers and verdict trail checked as
/// rendered; the page is kept as reports/browser/simulation-report.png.
/// </summary>
[TestFixture]
public sealed class SimulationReportTests : ChromiumFixture
{
    [Test]
    public async Task The_report_renders_offline_with_charts_thresholds_and_the_rollback()
    {
        var planPath = Path.Combine(Repository.Root(), "fixtures", "plans", "planner-latency-regression.yaml");
        var result = new RolloutSimulator(PlanFile.Load(planPath).Plan, new SimulationOptions
        {
            Seed = 42,
            Requests = 300_000,
            ArtifactBase = Path.GetDirectoryName(planPath)!,
        }).Run();
        Assert.That(result.Outcome, Is.EqualTo(SimulationOutcome.RolledBack), "the plan injects a latency regression that must roll back");
        var html = Path.Combine(Repository.ScreenshotDirectory(), "simulation-report.html");
        await File.WriteAllTextAsync(html, SimulationReportWriter.Render(result.Report));

        await using var offline = await OfflinePage.OpenAsync(Browser, html, 1400, 1000);
        var page = offline.Page;

        await Expect(page.Locator("h1")).ToContainTextAsync("injected latency regression");
        foreach (var chart in new[] { "Traffic share on v2 (%)", "Latency p95 (ms)", "Mean quality (0–100)", "Error and fallback rate (%)", "Mean cost (cents per run)" })
        {
            var svg = page.Locator($"svg[aria-label='{chart}']");
            await Expect(svg).ToBeVisibleAsync();
            var box = await svg.BoundingBoxAsync();
            Assert.That(box, Is.Not.Null);
            Assert.That(box!.Width, Is.GreaterThan(300), $"{chart} is drawn at a readable size");
            Assert.That(await svg.Locator("polyline, path").CountAsync(), Is.GreaterThan(0), $"{chart} has its series drawn");
        }
        await Expect(page.Locator("svg text.thr", new PageLocatorOptions { HasText = "latency limit 1600 ms" })).ToBeVisibleAsync();
        await Expect(page.Locator("svg text.mark", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex("rollback") }).First).ToBeAttachedAsync();
        await Expect(page.Locator("section", new PageLocatorOptions { HasText = "Injected faults" })).ToContainTextAsync("v2.latency+60% at day 9");
        Assert.That(await page.Locator("section:has(h2:text('Verdict trail')) tbody tr").CountAsync(), Is.GreaterThan(2));

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.ScreenshotDirectory(), "simulation-report.png"), FullPage = true });
        Assert.That(offline.Refused, Is.Empty, "the report is self-contained: it loads nothing from the network");
    }
}
