using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CanarySim.Browser.Tests.Dashboard;

/// <summary>
/// The dashboard in Debian's Chromium (driven by Playwright) against a real <c>canarysim serve</c>
/// child process: every control acts on the real router settings, and each state is kept as a
/// screenshot under reports/browser/.
/// </summary>
[TestFixture]
public sealed class DashboardTests : ChromiumFixture
{
    private ServeProcess _serve = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    [SetUp]
    public async Task StartServerAndPage()
    {
        _serve = await ServeProcess.StartAsync();
        _context = await NewDashboardContextAsync();
        _page = await _context.NewPageAsync();
    }

    [TearDown]
    public async Task StopServerAndPage()
    {
        await _context.DisposeAsync();
        _serve.Dispose();
    }

    private async Task OpenAsync(string? token = ServeProcess.Token)
    {
        await OpenDashboardAsync(_page, _serve.BaseAddress, 400);
        // Looking needs no token: the dialog stays closed until someone sets a token or makes a change.
        await Expect(_page.GetByTestId("token-dialog")).ToBeHiddenAsync();
        if (token is not null)
        {
            await EnterTokenAsync(token);
            await Expect(_page.GetByTestId("token-dialog")).ToBeHiddenAsync();
        }
    }

    private async Task EnterTokenAsync(string token)
    {
        await _page.Locator("#token-button").ClickAsync();
        await Expect(_page.GetByTestId("token-dialog")).ToBeVisibleAsync();
        await _page.GetByTestId("token-input").FillAsync(token);
        await _page.GetByTestId("token-save").ClickAsync();
    }

    [Test]
    public async Task The_dashboard_opens_read_only_without_a_token_dialog_and_names_the_minimum_as_a_count()
    {
        await _serve.PutAsync("/guard/config", """{"salt": "browser-secret-salt", "cohort": ["vip-browser-1"], "reason": "r"}""");

        await OpenAsync(token: null);

        await Expect(_page.Locator("#token-state")).ToHaveTextAsync("read-only (set token)");
        await Expect(_page.Locator("#facts")).ToContainTextAsync("0 (30 needed)");
        await Expect(_page.Locator("#facts")).Not.ToContainTextAsync("/ 30");
        await Expect(_page.Locator("#db-path")).ToHaveTextAsync("");
        var html = await _page.ContentAsync();
        Assert.That(html, Does.Not.Contain("vip-browser-1"));
        await ScreenshotAsync("00-read-only-no-token");

        await EnterTokenAsync(ServeProcess.Token);
        await Expect(_page.Locator("#token-state")).ToHaveTextAsync("token set");
        await Expect(_page.Locator("#db-path")).ToContainTextAsync("database: ");
    }

    private Task ScreenshotAsync(string name) =>
        _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.ScreenshotDirectory(), name + ".png"), FullPage = true });

    private static string Samples(int n, double v2Latency, double v2Quality, int seed, double v1Cost = 1.4, double v2Cost = 1.7)
    {
        var random = new Random(seed);
        var items = new List<object>();
        for (var i = 0; i < n; i++)
        {
            items.Add(new { engine = "v1", latency_ms = Math.Round(850 + random.NextDouble() * 200), quality = Math.Round(94 + random.NextDouble() * 2, 1), cost_cents = v1Cost });
            items.Add(new { engine = "v2", latency_ms = Math.Round(v2Latency + random.NextDouble() * 200), quality = Math.Round(v2Quality + random.NextDouble() * 2, 1), cost_cents = v2Cost, fallback = random.NextDouble() < 0.04 });
        }
        return JsonSerializer.Serialize(items);
    }

    [Test]
    public async Task Moving_the_slider_changes_the_canary_percentage()
    {
        await OpenAsync();

        await _page.GetByTestId("pct-slider").FillAsync("25");

        await Expect(_page.GetByTestId("pct-pill")).ToHaveTextAsync("25% to v2");
        await Expect(_page.GetByTestId("mode")).ToHaveTextAsync("mode canary");
        await Expect(_page.GetByTestId("timeline").Locator("li").First).ToContainTextAsync("canary_pct 0 → 25");
        var status = await _serve.StatusAsync();
        Assert.That(status["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(25));
        Assert.That(status["timeline"]!.AsArray()[0]!["actor"]!.GetValue<string>(), Is.EqualTo("dashboard"));
        await ScreenshotAsync("01-slider-25pct");
    }

    [Test]
    public async Task Flipping_the_kill_switch_routes_everything_to_v1()
    {
        await _serve.PutAsync("/guard/config", """{"canary_pct": 40, "reason": "ramp"}""");
        await OpenAsync();
        await Expect(_page.GetByTestId("pct-pill")).ToHaveTextAsync("40% to v2");

        await _page.GetByTestId("kill-switch-toggle").ClickAsync();

        await Expect(_page.GetByTestId("kill-pill")).ToHaveTextAsync("kill switch ON");
        await Expect(_page.GetByTestId("kill-switch")).ToBeCheckedAsync();
        var status = await _serve.StatusAsync();
        Assert.That(status["settings"]!["kill_switch"]!.GetValue<bool>(), Is.True);
        var route = await _serve.Http.PostAsync("/guard/route", new StringContent("""{"session_id":"any"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(await route.Content.ReadAsStringAsync(), Does.Contain("\"reason\":\"kill_switch\""));
        await ScreenshotAsync("02-kill-switch-on");
    }

    [Test]
    public async Task Rolling_back_with_a_reason_shows_on_the_timeline()
    {
        await _serve.PutAsync("/guard/config", """{"canary_pct": 10, "reason": "ramp to 10"}""");
        await OpenAsync();

        await _page.GetByTestId("rollback").ClickAsync();
        await Expect(_page.GetByTestId("rollback-dialog")).ToBeVisibleAsync();
        await _page.GetByTestId("rollback-reason").FillAsync("payroll answers look wrong");
        await _page.GetByTestId("rollback-confirm").ClickAsync();

        var latest = _page.GetByTestId("timeline").Locator("li").First;
        await Expect(latest).ToHaveAttributeAsync("data-kind", "rollback");
        await Expect(latest).ToContainTextAsync("payroll answers look wrong");
        await Expect(latest).ToContainTextAsync("dashboard");
        await Expect(_page.GetByTestId("kill-pill")).ToHaveTextAsync("kill switch ON");
        await Expect(_page.GetByTestId("pct-pill")).ToHaveTextAsync("0% to v2");
        await ScreenshotAsync("03-rollback-on-timeline");
    }

    [Test]
    public async Task Charts_update_live_after_samples_are_posted_and_evaluation_shows_breaches()
    {
        await _serve.PutAsync("/guard/config", """{"canary_pct": 5, "reason": "initial_canary"}""");
        await OpenAsync();
        var latency = _page.GetByTestId("chart-latency");
        await Expect(latency).ToHaveAttributeAsync("data-points", "0");

        await _serve.PostAsync("/guard/samples", Samples(20, v2Latency: 900, v2Quality: 93, seed: 1));
        await Expect(latency).ToHaveAttributeAsync("data-points", "1");
        await _serve.PostAsync("/guard/samples", Samples(20, v2Latency: 1300, v2Quality: 90, seed: 2));
        await _serve.PostAsync("/guard/samples", Samples(20, v2Latency: 1800, v2Quality: 87, seed: 3));

        await Expect(latency).ToHaveAttributeAsync("data-points", "3");
        await Expect(latency.Locator("path.line.v2")).ToHaveAttributeAsync("d", new System.Text.RegularExpressions.Regex("^M.+L.+L"));
        await Expect(_page.GetByTestId("compare").Locator("tr[data-check='latency'] td.v2")).Not.ToHaveTextAsync("—");
        await ScreenshotAsync("04-charts-after-samples");

        await _page.GetByTestId("evaluate").ClickAsync();
        await Expect(_page.GetByTestId("verdict")).ToHaveTextAsync("fail");
        await Expect(_page.GetByTestId("breaches").Locator("li[data-check='latency']")).ToContainTextAsync("latency (V2 p95:");
        await Expect(_page.GetByTestId("compare").Locator("tr[data-check='latency']")).ToHaveClassAsync("breach");
        await Expect(_page.GetByTestId("timeline").Locator("li").First).ToContainTextAsync("auto");
        await ScreenshotAsync("05-verdict-fail-auto-rollback");
    }

    [Test]
    public async Task A_cost_spike_pauses_and_resume_clears_it_from_the_dashboard()
    {
        await _serve.PutAsync("/guard/config", """{"canary_pct": 10, "reason": "initial_canary"}""");
        // v2 costs 3.6x v1 (1.8c against 0.5c) but stays under the 3c cost limit: a cost_spike, which pauses.
        // The batch could change the verdict, so the service evaluates it on ingest and pauses at once.
        await _serve.PostAsync("/guard/samples", Samples(60, v2Latency: 900, v2Quality: 94, seed: 4, v1Cost: 0.5, v2Cost: 1.8));
        await OpenAsync();

        await Expect(_page.GetByTestId("breaches").Locator("li[data-check='cost_spike']")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("resume")).ToBeVisibleAsync();
        await _page.GetByTestId("change-note").FillAsync("batch job explained the cost spike");
        await _page.GetByTestId("resume").ClickAsync();

        await Expect(_page.GetByTestId("resume")).ToBeHiddenAsync();
        await Expect(_page.GetByTestId("timeline").Locator("li").First).ToContainTextAsync("batch job explained the cost spike");
        await ScreenshotAsync("08-resumed-after-pause");
        var status = await _serve.StatusAsync();
        Assert.That(status["service"]!["rollback_state"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(status["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(10), "a pause holds the percentage; resuming keeps it");
    }

    [Test]
    public async Task Segments_and_cohort_are_edited_from_the_dashboard()
    {
        await _serve.PutAsync("/guard/config", """{"canary_pct": 10, "reason": "initial_canary"}""");
        await OpenAsync();
        await Expect(_page.GetByTestId("targeting-summary")).ToHaveTextAsync("none");

        await _page.GetByTestId("targeting").Locator("summary").ClickAsync();
        await _page.GetByTestId("targeting-json").FillAsync("""{"segments": {"expense_review": {"enabled": false}, "inbox_triage": {"enabled": true, "canary_pct": 50}}, "cohort": ["vip-7"]}""");
        await _page.GetByTestId("change-note").FillAsync("hold expenses back, VIP tester on v2");
        await _page.GetByTestId("targeting-apply").ClickAsync();

        await Expect(_page.GetByTestId("targeting-summary")).ToHaveTextAsync("2 segments (1 disabled), 1 cohort key");
        await Expect(_page.GetByTestId("timeline").Locator("li").First).ToContainTextAsync("hold expenses back, VIP tester on v2");
        await Expect(_page.GetByTestId("timeline").Locator("li").First).ToContainTextAsync("segments");
        await ScreenshotAsync("09-segments-and-cohort");
        var status = await _serve.StatusAsync();
        Assert.That(status["settings"]!["segments"]!["expense_review"]!["enabled"]!.GetValue<bool>(), Is.False);
        Assert.That(status["settings"]!["segments"]!["inbox_triage"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(50));
        Assert.That(status["settings"]!["cohort"]![0]!.GetValue<string>(), Is.EqualTo("vip-7"));

        // Invalid JSON is refused in the page and changes nothing.
        await _page.GetByTestId("targeting-json").FillAsync("{not json");
        await _page.GetByTestId("targeting-apply").ClickAsync();
        await Expect(_page.Locator("#toast")).ToContainTextAsync("not valid JSON");
        Assert.That((await _serve.StatusAsync())["timeline"]!.AsArray(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_wrong_or_missing_token_is_refused_visibly_and_changes_nothing()
    {
        await OpenAsync(token: null);
        await EnterTokenAsync("definitely-the-wrong-token");

        // The saved token is checked at once (the status refuses it) and the dialog says so.
        await Expect(_page.Locator("#toast")).ToContainTextAsync("403");
        await Expect(_page.GetByTestId("token-dialog")).ToBeVisibleAsync();
        await Expect(_page.Locator("#token-error")).ToContainTextAsync("403 forbidden");
        await Expect(_page.GetByTestId("pct-pill")).ToHaveTextAsync("0% to v2");
        await ScreenshotAsync("06-wrong-token-403");

        // Dismiss without a token: the next change goes out without one and gets 401.
        await _page.Locator("#token-cancel").ClickAsync();
        await _page.GetByTestId("kill-switch-toggle").ClickAsync();
        await Expect(_page.Locator("#toast")).ToContainTextAsync("401");
        await Expect(_page.GetByTestId("kill-switch")).Not.ToBeCheckedAsync();
        await ScreenshotAsync("07-no-token-401");

        var status = await _serve.StatusAsync();
        Assert.That(status["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(0));
        Assert.That(status["settings"]!["kill_switch"]!.GetValue<bool>(), Is.False);
        Assert.That(status["timeline"]!.AsArray(), Is.Empty);
    }
}
