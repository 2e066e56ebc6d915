using System.CommandLine;
using CanarySim.Core.Gating;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim shadow-diff --baseline-raw A --candidate-raw B [--label L] [--out DIR] [--json]</c>
/// (<c>--v2-raw</c>/<c>--v3-raw</c> are aliases). Exit 1 when a critical
/// case regressed ("do not start canary"), 2 on bad input.
/// </summary>
internal static class ShadowDiffCommand
{
    public static Command Create(CliIo io)
    {
        var defaults = new GateOptions();
        var baseline = new Option<string>("--baseline-raw", "--v2-raw") { Description = "Baseline (production engine) raw artifact.", Required = true };
        var candidate = new Option<string>("--candidate-raw", "--v3-raw") { Description = "Candidate (shadow engine) raw artifact.", Required = true };
        var label = new Option<string?>("--label") { Description = $"Report label; default '{defaults.DefaultShadowLabel}'." };
        var outDir = new Option<string>("--out") { Description = "Folder for the reports.", DefaultValueFactory = _ => "reports" };
        var json = new Option<bool>("--json") { Description = "Print the diff JSON on stdout." };
        var command = new Command("shadow-diff",
            "Compare baseline and candidate UAT artifacts: regressed, improved, unchanged, missing; critical regression blocks the canary.\n" +
            "Writes <out>/<label>_shadow_diff.json, .md and .html (the .md as a page) and a .summary.json for the report index.\n" +
            "Exit codes: 0 = start the canary; 1 = do not start it (a critical case regressed or is missing); 2 = bad input or usage (the file, the case and the field are named).")
        {
            baseline, candidate, label, outDir, json,
        };
        command.SetAction(parse =>
        {
            var result = GateRunner.Diff(parse.GetValue(baseline)!, parse.GetValue(candidate)!, parse.GetValue(label), parse.GetValue(outDir)!, defaults);
            if (result.Error is not null)
            {
                return io.UsageError(result.Error);
            }
            if (parse.GetValue(json))
            {
                io.Out.Write(result.Json);
            }
            else
            {
                io.Out.WriteLine(result.FailedChecks.Count > 0 ? $"{result.Verdict}: {string.Join(", ", result.FailedChecks)}" : result.Verdict);
                io.Out.WriteLine($"report: {result.ReportJsonPath} (+ .md, .html)");
            }
            return result.ExitCode;
        });
        return command;
    }
}
