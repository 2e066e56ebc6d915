using System.CommandLine;
using System.Text.Json;
using CanarySim.Core.Reporting;
using CanarySim.Reports;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim report-index [--reports DIR]</c>: collects every <c>*.summary.json</c> under the
/// reports folder and writes <c>index.html</c> linking each report with its one-line verdict.
/// </summary>
internal static class ReportIndexCommand
{
    public static Command Create(CliIo io)
    {
        var reports = new Option<DirectoryInfo>("--reports") { Description = "Reports folder to index.", DefaultValueFactory = _ => new DirectoryInfo("reports") };
        var json = new Option<bool>("--json") { Description = "Print the collected entries as JSON." };
        var command = new Command("report-index",
            "Write <reports>/index.html linking every report found under the reports folder (each *.summary.json) with its one-line verdict.\n" +
            "Exit codes: 0 = written (an unreadable summary is skipped with a warning); 2 = the folder does not exist.") { reports, json };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(reports)!;
            if (!dir.Exists)
            {
                return io.UsageError($"reports folder '{dir.FullName}' does not exist.");
            }
            var entries = new List<ReportSummary>();
            foreach (var file in dir.EnumerateFiles("*.summary.json", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal))
            {
                ReportSummary? entry;
                try
                {
                    entry = JsonSerializer.Deserialize<ReportSummary>(File.ReadAllText(file.FullName), CliIo.Json);
                }
                catch (JsonException ex)
                {
                    io.Err.WriteLine($"warning: skipping {file.FullName}: {ex.Message}");
                    continue;
                }
                if (entry is null)
                {
                    continue;
                }
                var rel = Path.GetRelativePath(dir.FullName, Path.Combine(file.DirectoryName!, entry.Href)).Replace('\\', '/');
                entries.Add(entry with { Href = rel });
            }
            // A gate report written before the CLI wrote pages beside the Markdown keeps its Markdown link instead of a dead one.
            var html = ReportIndexWriter.Render(entries, ReportClock.FromEnvironment().GetUtcNow(), page => File.Exists(Path.Combine(dir.FullName, page)));
            AtomicFile.WriteAllText(Path.Combine(dir.FullName, "index.html"), html);
            if (parse.GetValue(json))
            {
                io.Out.WriteLine(JsonSerializer.Serialize(entries, CliIo.Json));
            }
            else
            {
                io.Out.WriteLine($"wrote {Path.Combine(dir.FullName, "index.html")} ({entries.Count} reports)");
            }
            return CanarySimCli.Ok;
        });
        return command;
    }
}
