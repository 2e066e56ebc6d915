using System.Text.Json;
using CanarySim.Core.Reporting;

namespace CanarySim.Benchmarks;

/// <summary>How the non-BenchmarkDotNet modes end: their Markdown result and the summary the report index reads.</summary>
internal static class BenchReport
{
    /// <summary>
    /// Writes <paramref name="markdown"/> to <c>OUT/<paramref name="markdownFile"/></c> and its summary (verdict
    /// <c>PASS: detail</c> or <c>FAIL: detail</c>) to <c>OUT/<paramref name="summaryFile"/></c>, prints the Markdown and
    /// returns the exit code: 0 when <paramref name="ok"/>, else 1.
    /// </summary>
    public static int Finish(string outDir, string markdownFile, string summaryFile, string title, string detail, bool ok, string markdown)
    {
        File.WriteAllText(Path.Combine(outDir, markdownFile), markdown);
        File.WriteAllText(Path.Combine(outDir, summaryFile), JsonSerializer.Serialize(
            new ReportSummary("bench", title, $"{(ok ? "PASS" : "FAIL")}: {detail}", markdownFile, ok),
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        Console.WriteLine(markdown);
        return ok ? 0 : 1;
    }
}
