namespace CanarySim.Core.Reporting;

/// <summary>
/// A one-line summary a report producer drops beside its report as <c>*.summary.json</c>
/// (snake_case JSON), so <c>reports/index.html</c> can link every report with its verdict.
/// </summary>
/// <param name="Area">Grouping on the index: <c>features</c>, <c>gate</c>, <c>shadow-diff</c>, <c>simulation</c>, <c>evidence</c>, <c>rollup</c>, <c>coverage</c>, <c>bench</c>.</param>
/// <param name="Title">What the report is about.</param>
/// <param name="Verdict">One line: e.g. <c>GO</c>, <c>NO-GO</c>, <c>42 passed, 0 failed</c>.</param>
/// <param name="Href">Path of the report relative to the summary file's folder.</param>
/// <param name="Ok">Whether the verdict is good news (drives the colour on the index).</param>
public sealed record ReportSummary(string Area, string Title, string Verdict, string Href, bool Ok);
