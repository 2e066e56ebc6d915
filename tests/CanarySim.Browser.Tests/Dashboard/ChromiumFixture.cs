using Microsoft.Playwright;

namespace CanarySim.Browser.Tests.Dashboard;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright: launched once per fixture and closed after it,
/// one launch recipe for every browser test.
/// </summary>
[NonParallelizable]
public abstract class ChromiumFixture
{
    private IPlaywright _playwright = null!;

    /// <summary>The fixture's browser.</summary>
    protected IBrowser Browser { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task LaunchBrowser()
    {
        var chromium = Repository.Chromium();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    [OneTimeTearDown]
    public async Task CloseBrowser()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
