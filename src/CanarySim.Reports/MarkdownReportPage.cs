using System.Net;
using Markdig;

namespace CanarySim.Reports;

/// <summary>
/// A Markdown report (a release gate, a shadow diff) as one self-contained HTML page beside it, so a browser shows it
/// readable: tables as tables, in the other report pages' stylesheet, no script, nothing fetched.
/// </summary>
public static class MarkdownReportPage
{
    // Raw HTML in the Markdown (a label, a case id) is shown as text, never run.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    private static readonly string[] PagedAreas = ["gate", "shadow-diff"];

    /// <summary>The page for <paramref name="markdown"/>, titled <paramref name="title"/>.</summary>
    public static string Render(string title, string markdown)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(markdown);
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            + "<title>" + WebUtility.HtmlEncode(title) + "</title><style>" + SimulationReportWriter.Css + "</style></head><body>\n"
            + Markdig.Markdown.ToHtml(markdown, Pipeline)
            + "</body></html>\n";
    }

    /// <summary>The page's file name for a report's Markdown file name or href: <c>STEM.md</c> → <c>STEM.html</c>.</summary>
    public static string PageFor(string markdownHref) =>
        markdownHref.EndsWith(".md", StringComparison.Ordinal) ? markdownHref[..^3] + ".html" : markdownHref;

    /// <summary>Whether reports of <paramref name="area"/> are written with a page beside their Markdown.</summary>
    public static bool HasPage(string area) => PagedAreas.Contains(area, StringComparer.Ordinal);
}
