using System.Text.Json;
using CanarySim.Core.Reporting;
using CanarySim.Harness.Sweeps;
using CanarySim.Reports.Sweeps;

namespace CanarySim.Cli.Commands;

/// <summary>
/// The files of one sweep output folder: <c>sweep.json</c> (summary), <c>runs.jsonl</c> (one line per run, seed order),
/// <c>sweep.md</c>, <c>sweep.html</c> and <c>sweep.summary.json</c> (the report index entry). Everything in them follows
/// from the summary and the runs, so the same sweep writes the same bytes however it was split.
/// </summary>
internal static class SweepFolder
{
    public const string SummaryFile = "sweep.json";
    public const string RunsFile = "runs.jsonl";

    public static void Write(string dir, SweepSummary summary, IReadOnlyList<SweepRunRecord> runs)
    {
        AtomicFile.WriteAllText(Path.Combine(dir, RunsFile), SweepJson.Runs(runs));
        AtomicFile.WriteAllText(Path.Combine(dir, "sweep.md"), SweepMarkdownWriter.Render(summary));
        AtomicFile.WriteAllText(Path.Combine(dir, "sweep.html"), SweepHtmlWriter.Render(summary));
        var title = $"Sweep of {summary.Sweep.Plan}: seeds {summary.Sweep.Seeds}" + (summary.Shard is { } s ? $", shard {s}" : "") +
                    $", {summary.Sweep.Scenarios.Count} scenario{(summary.Sweep.Scenarios.Count == 1 ? "" : "s")}";
        var entry = new ReportSummary("sweep", title, SweepText.Verdict(summary), "sweep.html", !summary.Partial);
        AtomicFile.WriteAllText(Path.Combine(dir, "sweep.summary.json"), JsonSerializer.Serialize(entry, CliIo.Json).ReplaceLineEndings("\n") + "\n");
        // the summary last: a folder with sweep.json holds a complete output
        AtomicFile.WriteAllText(Path.Combine(dir, SummaryFile), SweepJson.Summary(summary));
    }

    /// <exception cref="CliUsageException">Naming the folder or file and what is wrong.</exception>
    public static SweepPart Read(string dir)
    {
        var summaryPath = Path.Combine(dir, SummaryFile);
        var runsPath = Path.Combine(dir, RunsFile);
        if (!Directory.Exists(dir))
        {
            throw new CliUsageException($"sweep output '{dir}' does not exist");
        }
        if (!File.Exists(summaryPath) || !File.Exists(runsPath))
        {
            throw new CliUsageException($"'{dir}' is not a sweep output: it has no {(File.Exists(summaryPath) ? RunsFile : SummaryFile)}");
        }
        try
        {
            var summary = SweepJson.ReadSummary(File.ReadAllText(summaryPath), summaryPath);
            var runs = SweepJson.ReadRuns(File.ReadAllText(runsPath), runsPath);
            return new SweepPart(dir, summary, runs);
        }
        catch (FormatException ex)
        {
            throw new CliUsageException(ex.Message);
        }
    }
}
