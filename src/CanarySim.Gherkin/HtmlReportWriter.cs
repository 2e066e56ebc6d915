using System.Globalization;
using System.Net;
using System.Text;

namespace CanarySim.Gherkin;

/// <summary>Renders a <see cref="RunReport"/> as one self-contained HTML page: features → scenarios → steps.</summary>
public static class HtmlReportWriter
{
    /// <summary>Writes the page to <paramref name="path"/> atomically (temp file + move); file attachments are linked relative to it.</summary>
    public static void Write(RunReport report, string path, string title = "CanarySim feature rehearsals")
    {
        ArgumentNullException.ThrowIfNull(report);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temp = path + ".tmp";
        File.WriteAllText(temp, Render(report, title, folder), new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Renders the page; file attachments are linked relative to <paramref name="reportFolder"/>.</summary>
    public static string Render(RunReport report, string title, string reportFolder)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{Enc(title)}}</title>
            <style>
            body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:72rem;color:#1d2330;padding:0 1rem}
            h1{font-size:1.6rem}h2{font-size:1.15rem;margin:1.6rem 0 .4rem;border-bottom:1px solid #dde;padding-bottom:.3rem}
            details{margin:.25rem 0 .25rem .5rem}summary{cursor:pointer;padding:.2rem 0}
            table{border-collapse:collapse;width:100%;margin:.3rem 0 .6rem}td{padding:.2rem .5rem;border-bottom:1px solid #f0f0f4;vertical-align:top}
            .passed{color:#0a7a34}.failed,.undefined,.ambiguous{color:#b3261e}.skipped{color:#8a6d00}
            .badge{font-weight:600;font-size:.85rem;display:inline-block;min-width:5.5rem}
            .muted{color:#667;font-size:.9rem}pre{background:#f6f7fb;padding:.5rem .7rem;white-space:pre-wrap;margin:.3rem 0;font-size:.85rem}
            .kw{font-weight:600}.dur{color:#667;text-align:right;white-space:nowrap}
            </style></head><body>
            <h1>{{Enc(title)}}</h1>
            """);
        var cls = report.Failed == 0 ? "passed" : "failed";
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"{cls}\"><strong>{Enc(report.Verdict)}</strong> — {report.Results.Count} scenario(s) in {report.Results.Select(r => r.Scenario.FilePath).Distinct().Count()} feature file(s), {Seconds(TimeSpan.FromTicks(report.Results.Sum(r => r.Duration.Ticks)))} total.</p>");
        foreach (var broken in report.ParseErrors)
        {
            html.Append($"<h2 class=\"failed\">{Enc(broken.FilePath)} — does not parse</h2><pre>{Enc(broken.ParseError ?? "")}</pre>");
        }
        foreach (var feature in report.Results.GroupBy(r => (r.Scenario.FilePath, r.Scenario.FeatureName)).OrderBy(g => g.Key.FilePath, StringComparer.Ordinal))
        {
            var failed = feature.Count(r => r.Status == StepStatus.Failed);
            html.Append($"<h2>{Enc(feature.Key.FeatureName)} <span class=\"muted\">{Enc(feature.Key.FilePath)} · {feature.Count(r => r.Passed)} passed, {failed} failed</span></h2>");
            foreach (var result in feature.OrderBy(r => r.Scenario.Line))
            {
                var status = result.Status.ToString().ToLowerInvariant();
                html.Append($"<details{(result.Passed ? "" : " open")}><summary><span class=\"badge {status}\">{status}</span> {Enc(result.Scenario.Row is null ? result.Scenario.Name : $"{result.Scenario.Name} [{result.Scenario.Row}]")} <span class=\"muted\">{Seconds(result.Duration)} · line {result.Scenario.Line}{Tags(result.Scenario)}</span></summary><table>");
                foreach (var step in result.Steps)
                {
                    var s = step.Status.ToString().ToLowerInvariant();
                    html.Append($"<tr><td class=\"badge {s}\">{s}</td><td><span class=\"kw\">{Enc(step.Step.Keyword.Trim())}</span> {Enc(step.Step.Text)}");
                    if (step.Step.Table is { } table)
                    {
                        html.Append("<pre>").Append(Enc(string.Join(" | ", table.Header)));
                        foreach (var row in table.Rows)
                        {
                            html.Append('\n').Append(Enc(string.Join(" | ", row.Cells)));
                        }
                        html.Append("</pre>");
                    }
                    if (step.Error is not null)
                    {
                        html.Append($"<pre class=\"{s}\">{Enc(step.Error)}</pre>");
                    }
                    html.Append(CultureInfo.InvariantCulture, $"</td><td class=\"dur\">{step.Duration.TotalMilliseconds:0} ms</td></tr>");
                }
                html.Append("</table>");
                if (!result.Passed && result.Error is not null)
                {
                    html.Append($"<pre class=\"{status}\">{Enc(result.Error)}</pre>");
                }
                if (result.Attachments.Count > 0)
                {
                    html.Append("<p class=\"muted\">Evidence:</p><ul>");
                    foreach (var a in result.Attachments)
                    {
                        html.Append(a.IsFile
                            ? $"<li>{Enc(a.Name)}: <a href=\"{Enc(Path.GetRelativePath(reportFolder, a.Content).Replace('\\', '/'))}\">{Enc(Path.GetFileName(a.Content))}</a></li>"
                            : $"<li>{Enc(a.Name)}:<pre>{Enc(a.Content)}</pre></li>");
                    }
                    html.Append("</ul>");
                }
                html.Append("</details>");
            }
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string Tags(ScenarioCase s) => s.Tags.Count == 0 ? "" : " · " + Enc(string.Join(" ", s.Tags.Select(t => "@" + t)));

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
