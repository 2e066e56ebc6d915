using Microsoft.Playwright;

namespace CanarySim.Browser.Tests.Dashboard;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright: launched once per fixture and closed after it,
/// one launch recipe for every browser test.
/// </summary>
[NonParallelizable]
public abstract class ChromiumFixture
{
    /// <summary>
    /// How long a Playwright action or expectation may wait for the page (milliseconds). Only a failure guard: the
    /// normal case takes milliseconds to a few seconds, but a live plan's stages run on the wall clock and a loaded CI
    /// machine stretches page loads and polls; a bound close to the normal case would fail a page that is still on its way.
    /// </summary>
    protected const float WaitBoundMs = 60_000;

    private IPlaywright _playwright = null!;

    /// <summary>The fixture's browser.</summary>
    protected IBrowser Browser { get; private set; } = null!;

    /// <summary>A new context with the dashboard's 1400 × 1000 viewport whose actions wait at most <see cref="WaitBoundMs"/>.</summary>
    protected async Task<IBrowserContext> NewDashboardContextAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(WaitBoundMs);
        return context;
    }

    /// <summary>Opens the dashboard served at <paramref name="baseAddress"/> (polling every <paramref name="pollMs"/> ms) and waits until it has loaded.</summary>
    protected static async Task OpenDashboardAsync(IPage page, Uri baseAddress, int pollMs)
    {
        await page.GotoAsync(new Uri(baseAddress, $"/?poll={pollMs}").ToString());
        await Assertions.Expect(page.Locator("body[data-loaded='1']")).ToBeAttachedAsync();
    }

    [OneTimeSetUp]
    public async Task LaunchBrowser()
    {
        var chromium = Repository.Chromium();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Timeout = 2 * WaitBoundMs,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Assertions.SetDefaultExpectTimeout(WaitBoundMs);
    }

    [OneTimeTearDown]
    public async Task CloseBrowser()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
