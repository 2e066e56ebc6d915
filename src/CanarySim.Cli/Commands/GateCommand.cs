using System.CommandLine;
using CanarySim.Core.Gating;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim gate --raw F [--raw F2 …] --stage 10|25|50|100 --latency-p95-sla-ms N
/// [--baseline-correction-rate R] [--label L] [--out DIR] [--json]</c>. Writes
/// <c>&lt;label&gt;_release_gate_stage&lt;N&gt;.json</c>/<c>.md</c>/<c>.summary.json</c> atomically;
/// exit 0 GO, 1 NO-GO, 2 bad input (no report written). Label defaults to <c>canary</c>.
/// </summary>
internal static class GateCommand
{
    public static Command Create(CliIo io)
    {
        var defaults = new GateOptions();
        var raw = new Option<string[]>("--raw") { Description = "Raw first-run UAT artifact (canarysim.uat-raw/v1); repeat for more files. Diagnostic reruns inside are counted, never scored.", Required = true, AllowMultipleArgumentsPerToken = false };
        var stage = new Option<int>("--stage") { Description = $"Rollout stage in percent: {string.Join(", ", defaults.Stages)}.", Required = true };
        var sla = new Option<double>("--latency-p95-sla-ms") { Description = $"Agreed p95 latency SLA in ms (runbook: {defaults.LatencyP95SlaMs}).", Required = true };
        var baseline = new Option<double?>("--baseline-correction-rate") { Description = "Baseline share of corrected answers (0–1); without it correction_trend is skipped." };
        var label = new Option<string?>("--label") { Description = $"Report label (letters, digits, . _ -); default '{defaults.DefaultLabel}'." };
        var outDir = new Option<string>("--out") { Description = "Folder for the reports.", DefaultValueFactory = _ => "reports" };
        var json = new Option<bool>("--json") { Description = "Print the report JSON on stdout." };
        var command = new Command("gate",
            "Release gate over recorded UAT artifacts: first-run-only scoring, five checks, GO/NO-GO.\n" +
            "Writes <out>/<label>_release_gate_stage<N>.json, .md and .html (the .md as a page) and a .summary.json for the report index.\n" +
            "Exit codes: 0 = GO; 1 = NO-GO; 2 = bad input or usage (the file, the case and the field are named).")
        {
            raw, stage, sla, baseline, label, outDir, json,
        };
        command.SetAction(parse =>
        {
            var request = new GateRequest(parse.GetValue(stage), parse.GetValue(sla), parse.GetValue(baseline), parse.GetValue(label));
            var result = GateRunner.Gate(parse.GetValue(raw) ?? [], request, parse.GetValue(outDir)!, defaults);
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
                io.Out.WriteLine($"{result.Verdict}{(result.FailedChecks.Count > 0 ? ": failed " + string.Join(", ", result.FailedChecks) : "")} — {result.Then}");
                io.Out.WriteLine($"report: {result.ReportJsonPath} (+ .md, .html)");
            }
            return result.ExitCode;
        });
        return command;
    }
}
