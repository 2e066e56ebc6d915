using CanarySim.Core.Gating;
using CanarySim.Core.Reporting;
using CanarySim.Reports;
using static CanarySim.Core.Tests.Gating.UatJson;

namespace CanarySim.Core.Tests.Reporting;

public sealed class ReportIndexWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void Lists_every_report_with_its_verdict_and_link()
    {
        var html = ReportIndexWriter.Render(
            [
                new ReportSummary("gate", "Stage 10", "GO", "gate/stage10.md", true),
                new ReportSummary("features", "Features", "3 passed, 1 failed", "features/index.html", false),
            ], At);

        Assert.That(html, Does.Contain("<a href=\"gate/stage10.html\">Stage 10</a>"), "a gate report is linked to its HTML page, not its raw Markdown");
        Assert.That(html, Does.Contain("3 passed, 1 failed"));
        Assert.That(html, Does.Contain("<p class=\"bad\">1 of the run's own checks failed (Features): read them first. 1 of 2 reports carry a negative verdict (features 1).</p>"));
        Assert.That(html.IndexOf("<h2>features</h2>", StringComparison.Ordinal), Is.LessThan(html.IndexOf("<h2>gate</h2>", StringComparison.Ordinal)));
    }

    [Test]
    public void A_NO_GO_the_run_was_meant_to_show_is_a_finding_not_a_red_run()
    {
        var html = ReportIndexWriter.Render(
            [
                new ReportSummary("features", "Features", "3 passed, 0 failed", "features/index.html", true),
                new ReportSummary("gate", "Stage 25", "NO-GO", "gate/stage25.md", false),
                new ReportSummary("replay", "Replays", "21 of 21 verdicts as expected", "replay.md", true),
                new ReportSummary("simulation", "Latency regression", "rolled back", "sim/plan.html", false),
                new ReportSummary("gate", "Stage 10", "GO", "gate/stage10.md", true),
            ], At);

        Assert.That(html, Does.Contain("<p>2 of 5 reports carry a negative verdict (gate 1, simulation 1): a NO-GO or a rollback is what that report found, "
            + "not a failure of the run. The run's own checks (features, replays against their expected verdicts) all passed.</p>"));
        Assert.That(html, Does.Not.Contain("<p class=\"bad\">"));
        Assert.That(html, Does.Contain("<td class=\"bad\">NO-GO</td>"), "each negative verdict is still shown red in its row");
    }

    [Test]
    public void A_replay_whose_verdict_differs_makes_the_run_red()
    {
        var html = ReportIndexWriter.Render(
            [
                new ReportSummary("replay", "Replays", "1 of 21 verdicts differ", "replay.md", false),
                new ReportSummary("gate", "Stage 25", "NO-GO", "gate/stage25.md", false),
            ], At);

        Assert.That(html, Does.Contain("<p class=\"bad\">1 of the run's own checks failed (Replays): read them first. 2 of 2 reports carry a negative verdict (gate 1, replay 1).</p>"));
    }

    [Test]
    public void Reports_with_one_title_are_told_apart_by_their_folder()
    {
        var html = ReportIndexWriter.Render(
            [
                new ReportSummary("simulation", "Latency regression", "rolled back", "sim-http/plan.html", true),
                new ReportSummary("simulation", "Latency regression", "rolled back", "sim/plan.html", true),
                new ReportSummary("simulation", "Seven weeks", "completed", "simulations/seven/plan.html", true),
            ], At);

        Assert.That(html, Does.Contain("<a href=\"sim/plan.html\">Latency regression</a> <span class=\"muted\">(sim)</span>"));
        Assert.That(html, Does.Contain("<a href=\"sim-http/plan.html\">Latency regression</a> <span class=\"muted\">(sim-http)</span>"));
        Assert.That(html, Does.Contain("<a href=\"simulations/seven/plan.html\">Seven weeks</a></td>"), "a unique title needs no folder");
    }

    [Test]
    public void Escapes_titles_so_a_report_name_cannot_inject_markup()
    {
        var html = ReportIndexWriter.Render([new ReportSummary("gate", "<script>x</script>", "GO", "a.md", true)], At);
        Assert.That(html, Does.Not.Contain("<script>x"));
        Assert.That(html, Does.Contain("&lt;script&gt;"));
    }

    [Test]
    public void A_gate_report_without_its_page_keeps_its_Markdown_link()
    {
        var html = ReportIndexWriter.Render(
            [
                new ReportSummary("gate", "Old stage 10", "GO", "old/stage10.md", true),
                new ReportSummary("gate", "Stage 25", "GO", "gate/stage25.md", true),
            ], At, page => page == "gate/stage25.html");

        Assert.That(html, Does.Contain("<a href=\"old/stage10.md\">Old stage 10</a>"), "no dead link to a page that was never written");
        Assert.That(html, Does.Contain("<a href=\"gate/stage25.html\">Stage 25</a>"));
    }

    [Test]
    public void A_gate_report_is_linked_as_a_page_that_shows_its_verdict_table_as_a_table()
    {
        var cases = Pair("FIN-01").Concat(Pair("WR-02")).ToList();
        cases[3]["write_safety_incident"] = true;
        var report = new ReleaseGate().Evaluate(new GateRequest(50, 5000, null, "phase8"), [Input("stage50.json", cases)]);
        var index = ReportIndexWriter.Render(
            [
                new ReportSummary("gate", "phase8: release gate stage 50 %", "NO-GO", "gate/" + report.FileStem + ".md", false),
                new ReportSummary("shadow-diff", "phase8: shadow diff", "START CANARY", "gate/diff.md", true),
                new ReportSummary("rollup", "Weekly rollup", "no rollbacks", "rollup/week.md", true),
            ], At);

        Assert.That(index, Does.Contain($"<a href=\"gate/{report.FileStem}.html\">phase8: release gate stage 50 %</a>"));
        Assert.That(index, Does.Contain("<a href=\"gate/diff.html\">phase8: shadow diff</a>"));
        Assert.That(index, Does.Contain("<a href=\"rollup/week.md\">Weekly rollup</a>"), "a report written without a page keeps its Markdown link");

        var page = MarkdownReportPage.Render("phase8: release gate stage 50 %", report.ToMarkdown());
        Assert.That(page, Does.StartWith("<!doctype html>"));
        Assert.That(page, Does.Contain("<title>phase8: release gate stage 50 %</title>"));
        Assert.That(page, Does.Contain("<h2>Verdict: <strong>NO-GO</strong>"));
        Assert.That(page, Does.Contain("<table>"));
        Assert.That(page, Does.Contain("<th>check</th>"));
        Assert.That(page, Does.Contain("<td><code>write_safety</code></td>"));
        Assert.That(page, Does.Contain("<td>❌ fail</td>"));
        Assert.That(page, Does.Not.Contain("| check |"), "no table is left as raw Markdown");
        Assert.That(page, Does.Not.Contain("<script").And.Not.Contain("<link").And.Not.Contain("src=\""), "the page is self-contained");
    }

    [Test]
    public void A_report_page_shows_markup_in_its_Markdown_as_text()
    {
        var page = MarkdownReportPage.Render("<b>t</b>", "# Gate <script>alert(1)</script>\n");
        Assert.That(page, Does.Not.Contain("<script>alert"));
        Assert.That(page, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
        Assert.That(page, Does.Contain("<title>&lt;b&gt;t&lt;/b&gt;</title>"));
    }

    [Test]
    public void Empty_index_tells_the_user_how_to_produce_reports()
    {
        var html = ReportIndexWriter.Render([], At);
        Assert.That(html, Does.Contain("./build.sh --target=Rehearse"));
    }
}
