using Microsoft.Playwright;

namespace CanarySim.Browser.Tests.Dashboard;

/// <summary>
/// A page opened from disk in its own browser context that loads only <c>file:</c> URLs: every other request is
/// refused and listed in <see cref="Refused"/>, so a test can show a report is self-contained. Disposing closes the context.
/// </summary>
public sealed class OfflinePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _refused;

    private OfflinePage(IBrowserContext context, IPage page, List<string> refused)
    {
        _context = context;
        Page = page;
        _refused = refused;
    }

    /// <summary>The page, at the file it was opened on.</summary>
    public IPage Page { get; }

    /// <summary>The URLs the page tried to load from anywhere but the disk (all refused).</summary>
    public IReadOnlyList<string> Refused => _refused;

    /// <summary>Opens <paramref name="htmlPath"/> in a new context of <paramref name="browser"/> with a viewport of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static async Task<OfflinePage> OpenAsync(IBrowser browser, string htmlPath, int width, int height)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        try
        {
            var refused = new List<string>();
            await context.RouteAsync("**/*", async route =>
            {
                if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal))
                {
                    await route.ContinueAsync();
                    return;
                }
                refused.Add(route.Request.Url);
                await route.AbortAsync();
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(htmlPath).AbsoluteUri);
            return new OfflinePage(context, page, refused);
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
