using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CanarySim.Core.Gating;
using CanarySim.Core.Reporting;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim replay --fixtures fixtures/uat [--manifest F] --out reports/gate [--json]</c>: runs every
/// entry of the replay manifest through the real gate / shadow diff, writes their reports, and
/// compares each verdict with the one recorded beside the fixture. Exit 1 if any differs.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(CliIo io)
    {
        var fixtures = new Option<string>("--fixtures") { Description = "Fixture folder holding replay.json.", DefaultValueFactory = _ => Path.Combine("fixtures", "uat") };
        var manifest = new Option<string?>("--manifest") { Description = "Manifest file (default <fixtures>/replay.json)." };
        var outDir = new Option<string>("--out") { Description = "Folder for the reports.", DefaultValueFactory = _ => Path.Combine("reports", "gate") };
        var json = new Option<bool>("--json") { Description = "Print the replay results as JSON." };
        var command = new Command("replay",
            "Replay every recorded UAT fixture through the gate and shadow diff and check the expected verdicts.\n" +
            "Exit codes: 0 = every run matches its expected verdict; 1 = a run differs; 2 = unreadable or malformed manifest (file, line, field named).")
        {
            fixtures, manifest, outDir, json,
        };
        command.SetAction(parse => Run(io, parse.GetValue(fixtures)!, parse.GetValue(manifest), parse.GetValue(outDir)!, parse.GetValue(json)));
        return command;
    }

    private sealed record Row(string Name, string Command, string Expected, string Actual, int ExitCode, bool Ok, string Why);

    private static int Run(CliIo io, string fixtures, string? manifestPath, string outDir, bool json)
    {
        var path = manifestPath ?? Path.Combine(fixtures, "replay.json");
        ReplayManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ReplayManifest>(File.ReadAllText(path), CliIo.Json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return io.UsageError($"{path}: could not be read: {ex.Message}");
        }
        catch (JsonException ex)
        {
            return io.UsageError($"{path} line {(ex.LineNumber ?? 0) + 1}: malformed replay manifest: {ex.Message}");
        }
        if (manifest?.Runs is not { Count: > 0 } runs)
        {
            return io.UsageError($"{path} field 'runs': expected a non-empty array of runs");
        }
        var root = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var rows = new List<Row>();
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var where = $"{path} runs[{i}]{(run.Name is null ? "" : $" ({run.Name})")}";
            if (string.IsNullOrWhiteSpace(run.Name) || run.Expect is null)
            {
                return io.UsageError($"{where}: fields 'name' and 'expect' are required");
            }
            GateRunResult result;
            switch (run.Command)
            {
                case "gate":
                    if (run.Raws is not { Count: > 0 } || run.Stage is null || run.LatencyP95SlaMs is null)
                    {
                        return io.UsageError($"{where}: a gate run needs 'raws', 'stage' and 'latency_p95_sla_ms'");
                    }
                    result = Written(GateRunner.Gate(run.Raws.Select(r => Path.Combine(root, r)).ToList(),
                        new GateRequest(run.Stage.Value, run.LatencyP95SlaMs.Value, run.BaselineCorrectionRate, run.Label ?? run.Name), outDir));
                    break;
                case "shadow-diff":
                    if (run.Baseline is null || run.Candidate is null)
                    {
                        return io.UsageError($"{where}: a shadow-diff run needs 'baseline' and 'candidate'");
                    }
                    result = GateRunner.Diff(Path.Combine(root, run.Baseline), Path.Combine(root, run.Candidate), run.Label ?? run.Name, outDir);
                    break;
                default:
                    return io.UsageError($"{where} field 'command': expected \"gate\" or \"shadow-diff\", found \"{run.Command}\"");
            }
            rows.Add(Judge(run, result));
        }

        var failed = rows.Count(r => !r.Ok);
        WriteReport(outDir, rows, failed);
        if (json)
        {
            io.Out.WriteLine(JsonSerializer.Serialize(rows, CliIo.Json));
        }
        else
        {
            var width = Math.Max(4, rows.Max(r => r.Name.Length));
            io.Out.WriteLine($"{"run".PadRight(width)}  {"expected",-20} {"actual",-20} exit  result");
            foreach (var r in rows)
            {
                io.Out.WriteLine($"{r.Name.PadRight(width)}  {r.Expected,-20} {r.Actual,-20} {r.ExitCode,4}  {(r.Ok ? "ok" : "MISMATCH: " + r.Why)}");
            }
            io.Out.WriteLine(failed == 0 ? $"replay: all {rows.Count} runs match their expected verdicts" : $"replay: {failed} of {rows.Count} runs differ from their expected verdicts");
        }
        return failed == 0 ? CanarySimCli.Ok : CanarySimCli.Negative;
    }

    // The verdict and failed checks judged are the ones the written report states (what a release manager acts on),
    // read back with the product's reader; a report that cannot be read back is an error row.
    private static GateRunResult Written(GateRunResult result)
    {
        if (result.ReportJsonPath is not { } path)
        {
            return result;
        }
        try
        {
            var report = GateReportReader.Parse(File.ReadAllText(path), path);
            return result with { Verdict = report.Verdict, FailedChecks = report.Defects.Select(d => d.Check).ToList() };
        }
        catch (Exception ex) when (ex is GateReportException or IOException)
        {
            return result with { Verdict = "ERROR", Error = $"written report unreadable: {ex.Message}" };
        }
    }

    private static Row Judge(ReplayRun run, GateRunResult result)
    {
        var expected = run.Expect!;
        var why = new List<string>();
        if (!string.Equals(expected, result.Verdict, StringComparison.Ordinal))
        {
            why.Add($"verdict {result.Verdict}, expected {expected}{(result.Error is null ? "" : $" ({result.Error})")}");
        }
        if (run.ExpectFailedChecks is { } checks && run.Command == "gate" && result.Error is null
            && !checks.Order(StringComparer.Ordinal).SequenceEqual(result.FailedChecks.Order(StringComparer.Ordinal)))
        {
            why.Add($"failed checks [{string.Join(", ", result.FailedChecks)}], expected [{string.Join(", ", checks)}]");
        }
        if (run.ExpectErrorContains is { } text && (result.Error is null || !result.Error.Contains(text, StringComparison.Ordinal)))
        {
            why.Add($"error \"{result.Error}\" does not contain \"{text}\"");
        }
        var actual = result.Error is null ? result.Verdict : "ERROR";
        return new Row(run.Name!, run.Command!, expected, actual, result.ExitCode, why.Count == 0, string.Join("; ", why));
    }

    private static void WriteReport(string outDir, List<Row> rows, int failed)
    {
        var md = new StringBuilder();
        md.AppendLine("# UAT replay");
        md.AppendLine();
        md.AppendLine(failed == 0 ? $"**All {rows.Count} recorded runs reproduce their expected verdicts.**" : $"**{failed} of {rows.Count} runs differ from their expected verdicts.**");
        md.AppendLine();
        md.AppendLine("| run | command | expected | actual | exit | result |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Command} | {r.Expected} | {r.Actual} | {r.ExitCode} | {(r.Ok ? "ok" : "MISMATCH: " + r.Why.Replace("|", "\\|", StringComparison.Ordinal))} |");
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "replay.md"), md.ToString());
        GateRunner.WriteSummary(outDir, "replay", new ReportSummary("replay", "UAT fixtures replayed through the gate and shadow diff",
            failed == 0 ? $"{rows.Count} of {rows.Count} verdicts as expected" : $"{failed} of {rows.Count} verdicts differ", "replay.md", failed == 0));
    }
}
