using System.Net;
using System.Text;
using CanarySim.Core.Reporting;

namespace CanarySim.Reports;

/// <summary>Renders <c>reports/index.html</c>: every report grouped by area with its one-line verdict.</summary>
public static class ReportIndexWriter
{
    private static readonly string[] AreaOrder = ["features", "gate", "shadow-diff", "replay", "simulation", "evidence", "sweep", "rollup", "coverage", "bench"];

    /// <summary>
    /// Renders the page. <paramref name="entries"/> hold hrefs relative to the index; a gate or shadow-diff report is
    /// linked to the HTML page written beside its Markdown (<see cref="MarkdownReportPage"/>) when
    /// <paramref name="pageExists"/> says that page is there (given its href; null: assume it is), else to the Markdown.
    /// </summary>
    public static string Render(IEnumerable<ReportSummary> entries, DateTimeOffset generatedAt, Func<string, bool>? pageExists = null)
    {
        var list = entries.ToList();
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>CanarySim reports</title>
            <style>
            body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:60rem;color:#1d2330;padding:0 1rem}
            h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde;padding-bottom:.3rem}
            table{border-collapse:collapse;width:100%;table-layout:fixed}td{padding:.35rem .5rem;border-bottom:1px solid #eef;vertical-align:top}td:first-child{width:50%}
            .ok{color:#0a7a34;font-weight:600}.bad{color:#b3261e;font-weight:600}.muted{color:#667}
            a{color:#1a4fd0}
            </style></head><body>
            <h1>CanarySim reports</h1>
            """);
        html.Append(Headline(list));
        if (list.Count == 0)
        {
            html.Append("<p class=\"muted\">No reports yet. Run <code>./build.sh --target=Rehearse</code>.</p>");
        }
        var groups = list.GroupBy(e => e.Area)
            .OrderBy(g => AreaRank(g.Key))
            .ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            html.Append($"<h2>{Enc(group.Key)}</h2><table>");
            // Two reports with one title (the same plan simulated into two folders) are told apart by their folder.
            var repeated = group.GroupBy(e => e.Title, StringComparer.Ordinal).Where(t => t.Count() > 1).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var e in group.OrderBy(e => e.Title, StringComparer.Ordinal).ThenBy(e => e.Href, StringComparer.Ordinal))
            {
                var folder = repeated.Contains(e.Title) && e.Href.LastIndexOf('/') is var slash and > 0 ? $" <span class=\"muted\">({Enc(e.Href[..slash])})</span>" : "";
                var href = MarkdownReportPage.HasPage(e.Area) && MarkdownReportPage.PageFor(e.Href) is var page && (pageExists?.Invoke(page) ?? true) ? page : e.Href;
                html.Append($"<tr><td><a href=\"{Enc(href)}\">{Enc(e.Title)}</a>{folder}</td><td class=\"{(e.Ok ? "ok" : "bad")}\">{Enc(e.Verdict)}</td></tr>");
            }
            html.Append("</table>");
        }
        html.Append($"<p class=\"muted\">Generated {generatedAt:yyyy-MM-dd HH:mm:ss} UTC.</p></body></html>\n");
        return html.ToString();
    }

    /// <summary>
    /// The first line. A report's negative verdict (a gate's NO-GO, a simulated rollback) is what that report found, and a
    /// rehearsal shows such findings on purpose; only the run's own checks failing (a feature, a replay whose verdict
    /// differs from the one expected) means the run itself is red.
    /// </summary>
    private static string Headline(List<ReportSummary> list)
    {
        var negative = list.Where(e => !e.Ok).ToList();
        if (negative.Count == 0)
        {
            return $"<p class=\"ok\">All {list.Count} reports are green.</p>";
        }
        var byArea = string.Join(", ", negative.GroupBy(e => e.Area).OrderBy(g => AreaRank(g.Key))
            .Select(g => $"{g.Key} {g.Count()}"));
        var own = negative.Where(e => RunOwnChecks.Contains(e.Area)).ToList();
        if (own.Count > 0)
        {
            return $"<p class=\"bad\">{own.Count} of the run's own checks failed ({Enc(string.Join(", ", own.Select(e => e.Title)))}): read them first. "
                + $"{negative.Count} of {list.Count} reports carry a negative verdict ({Enc(byArea)}).</p>";
        }
        var checksPassed = list.Any(e => RunOwnChecks.Contains(e.Area))
            ? " The run's own checks (features, replays against their expected verdicts) all passed."
            : "";
        return $"<p>{negative.Count} of {list.Count} reports carry a negative verdict ({Enc(byArea)}): a NO-GO or a rollback is what "
            + $"that report found, not a failure of the run.{checksPassed}</p>";
    }

    // An area's place on the page: the listed order, then unknown areas (by name, in the caller's ThenBy).
    private static int AreaRank(string area) => Array.IndexOf(AreaOrder, area) is var i && i < 0 ? int.MaxValue : i;

    private static readonly string[] RunOwnChecks = ["features", "replay"];

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
