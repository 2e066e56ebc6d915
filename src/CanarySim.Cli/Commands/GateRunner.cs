using System.Text.Json;
using CanarySim.Core.Gating;
using CanarySim.Core.Reporting;
using CanarySim.Reports;

namespace CanarySim.Cli.Commands;

/// <summary>The outcome of one gate or shadow-diff run as the CLI reports it.</summary>
internal sealed record GateRunResult(int ExitCode, string Verdict, string? Error, IReadOnlyList<string> FailedChecks, string? ReportJsonPath, string? Json, string? Then = null);

/// <summary>
/// Runs the real <see cref="ReleaseGate"/> / <see cref="ShadowDiff"/> over files and writes the
/// reports atomically; shared by <c>gate</c>, <c>shadow-diff</c> and <c>replay</c>. On bad input
/// nothing is written (every input is read and judged before the first file is created).
/// </summary>
internal static class GateRunner
{
    public static GateRunResult Gate(IReadOnlyList<string> raws, GateRequest request, string outDir, GateOptions? options = null, TimeProvider? time = null)
    {
        var gate = new ReleaseGate(options, time ?? ReportClock.FromEnvironment());
        GateReport report;
        try
        {
            gate.Validate(request);
            if (raws.Count == 0)
            {
                return Bad("at least one --raw artifact is required");
            }
            report = gate.Evaluate(request, raws.Select(FileInput));
        }
        catch (Exception ex) when (ex is UatArtifactException or ArgumentException)
        {
            return Refused(ex);
        }
        var json = GateReportWriter.ToJson(report);
        var verdict = report.OverallGo ? $"GO → {report.NextStage}" : $"NO-GO ({string.Join(", ", report.Defects.Select(d => d.Check))}) → {report.RollbackAction}";
        var jsonPath = WriteReports(outDir, report.FileStem, json, report.ToMarkdown(),
            new ReportSummary("gate", $"{report.Label}: release gate stage {report.Stage} %", verdict, report.FileStem + ".md", report.OverallGo));
        return new GateRunResult(report.OverallGo ? CanarySimCli.Ok : CanarySimCli.Negative, report.Verdict, null,
            report.Defects.Select(d => d.Check).ToList(), jsonPath, json,
            report.OverallGo ? $"promote to {(report.NextStage!.All(char.IsAsciiDigit) ? report.NextStage + " %" : report.NextStage)}" : $"roll back now: set {report.RollbackAction}");
    }

    public static GateRunResult Diff(string baseline, string candidate, string? label, string outDir, GateOptions? options = null, TimeProvider? time = null)
    {
        ShadowDiffReport report;
        try
        {
            report = new ShadowDiff(options, time ?? ReportClock.FromEnvironment()).Compare(FileInput(baseline), FileInput(candidate), label);
        }
        catch (Exception ex) when (ex is UatArtifactException or ArgumentException)
        {
            return Refused(ex);
        }
        var json = ShadowDiffReportWriter.ToJson(report);
        var regressed = report.With(ShadowOutcome.Regressed).Count;
        var verdict = $"{report.Verdict} ({regressed} regressed, {report.Blocking.Count} blocking)";
        var jsonPath = WriteReports(outDir, report.FileStem, json, report.ToMarkdown(),
            new ReportSummary("shadow-diff", $"{report.Label}: shadow diff", verdict, report.FileStem + ".md", report.StartCanary));
        return new GateRunResult(report.StartCanary ? CanarySimCli.Ok : CanarySimCli.Negative, report.Verdict, null,
            report.Blocking.Select(b => $"{b.CaseId} ({b.Role})").ToList(), jsonPath, json);
    }

    public static void WriteSummary(string outDir, string stem, ReportSummary summary) =>
        AtomicFile.WriteAllText(Path.Combine(outDir, stem + ".summary.json"), JsonSerializer.Serialize(summary, CliIo.Json) + "\n");

    private static UatArtifactInput FileInput(string path) => new(path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan));

    /// <summary>Writes a report's <c>STEM.json</c>, <c>STEM.md</c>, its page <c>STEM.html</c> and <c>STEM.summary.json</c> (each atomically); returns the JSON's path.</summary>
    private static string WriteReports(string outDir, string stem, string json, string markdown, ReportSummary summary)
    {
        var jsonPath = Path.Combine(outDir, stem + ".json");
        AtomicFile.WriteAllText(jsonPath, json);
        AtomicFile.WriteAllText(Path.Combine(outDir, stem + ".md"), markdown);
        AtomicFile.WriteAllText(Path.Combine(outDir, MarkdownReportPage.PageFor(stem + ".md")), MarkdownReportPage.Render(summary.Title, markdown));
        WriteSummary(outDir, stem, summary);
        return jsonPath;
    }

    private static GateRunResult Bad(string message) => new(CanarySimCli.Usage, "ERROR", message, [], null, null);

    /// <summary>Bad input found while judging: an artifact's own message, or the option a value was refused for.</summary>
    private static GateRunResult Refused(Exception ex) =>
        Bad(ex is ArgumentException argument ? $"--{argument.ParamName}: {StripParam(argument)}" : ex.Message);

    private static string StripParam(ArgumentException ex) =>
        ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
}
