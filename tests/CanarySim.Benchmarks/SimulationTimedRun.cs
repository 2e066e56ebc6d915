using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CanarySim.Benchmarks;

/// <summary>
/// Issue 7 performance target, timed the way a user meets it: the real <c>canarysim simulate</c>
/// process on the seven-week plan with 10 000 000 requests and in-process engines, run
/// <c>--runs</c> times (default 3). Wall time is measured from outside (process start to exit:
/// runtime start-up, plan loading, simulation, every output written); the CLI's own line gives the
/// simulation's time, requests per second and peak working set. Passes when the median wall time is
/// under <c>--limit-s</c> (default 10 s).
/// <c>dotnet run -c Release --project tests/CanarySim.Benchmarks -- simtime --cli src/CanarySim.Cli/bin/Release/net10.0/canarysim.dll [--requests 10000000] [--runs 3] [--out reports/bench]</c>
/// </summary>
internal static partial class SimulationTimedRun
{
    public static int Run(string[] args)
    {
        var root = BenchArgs.RepoRoot();
        var cli = BenchArgs.Cli(args, root);
        var plan = BenchArgs.Plan(args, root);
        var requests = (long)BenchArgs.Number(args, "--requests", 10_000_000);
        var runs = (int)BenchArgs.Number(args, "--runs", 3);
        var limit = BenchArgs.Number(args, "--limit-s", 10);
        if (BenchArgs.OutDirFor("simtime", args, cli) is not { } outDir)
        {
            return 2;
        }
        var simOut = Path.Combine(outDir, "simulation-run");

        var rows = new List<(double Wall, double Sim, long ReqPerSec, long PeakMb, string Verdict)>();
        for (var i = 1; i <= runs; i++)
        {
            var (exitCode, text, stderr, wall) = CliProcess.Run(cli, "simulate", "--plan", plan, "--seed", "42", "--requests", requests.ToString(CultureInfo.InvariantCulture), "--out", simOut);
            // Exit 0 (completed) or 1 (rolled back) are both simulations that ran.
            var match = StatsLine().Match(text);
            if (exitCode > 1 || !match.Success)
            {
                Console.Error.WriteLine($"simtime: run {i} failed (exit {exitCode}):{Environment.NewLine}{text}{stderr}");
                return 1;
            }
            var row = (wall.TotalSeconds,
                double.Parse(match.Groups["sim"].Value, CultureInfo.InvariantCulture),
                long.Parse(match.Groups["rps"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture),
                long.Parse(match.Groups["mb"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture),
                text.Split('\n')[0].Trim());
            rows.Add(row);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {i}/{runs}: {row.Item1:0.00} s wall, simulation {row.Item2:0.00} s, {row.Item3:N0} req/s, peak working set {row.Item4:N0} MB"));
        }
        var walls = rows.Select(r => r.Wall).Order().ToList();
        var median = walls[walls.Count / 2];
        var ok = median < limit;
        var md = new StringBuilder()
            .AppendLine("# Simulator throughput")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"**{(ok ? "PASS" : "FAIL")}**: `canarysim simulate --plan {Path.GetFileName(plan)} --seed 42 --requests {requests:N0}` (in-process engines), median wall time {median:0.00} s over {runs} runs (target < {limit:0.##} s, start-up and outputs included).")
            .AppendLine()
            .AppendLine("| run | wall (process) | simulation | requests/s (simulation) | peak working set |").AppendLine("|---|---|---|---|---|");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            md.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {r.Wall:0.00} s | {r.Sim:0.00} s | {r.ReqPerSec:N0} | {r.PeakMb:N0} MB |");
        }
        md.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Verdict of the simulated rollout: {rows[0].Verdict}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {RuntimeInfo()}.");
        return BenchReport.Finish(outDir, "simulation.md", "simulation.summary.json", "Simulator throughput (7-week plan, 10 M requests)",
            string.Create(CultureInfo.InvariantCulture, $"median {median:0.00} s wall, {rows.Select(r => r.ReqPerSec).Order().ElementAt(rows.Count / 2):N0} req/s, peak {rows.Max(r => r.PeakMb):N0} MB"),
            ok, md.ToString());
    }

    private static string RuntimeInfo() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;

    [GeneratedRegex(@"simulated [\d,]+ requests and [\d,]+ evaluations in (?<sim>[\d.]+) s \((?<rps>[\d,]+) req/s, peak working set (?<mb>[\d,]+) MB\)")]
    private static partial Regex StatsLine();
}
