using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CanarySim.Benchmarks;

/// <summary>
/// Sweep throughput, timed the way a user meets it: the real <c>canarysim sweep</c> process over the seven-week plan
/// (default 200 seeds × 100 000 requests, healthy runs only) once with one worker and once with two. Reports wall time,
/// the process's CPU time (user + system, as the CLI reports it), simulated requests per second and the 1 → 2 worker speed-up, both by wall
/// time and as the CPU-time ratio (the speed-up two free cores would give: 2 × CPU(1 worker) / CPU(2 workers)). The
/// machine's load average is recorded beside the numbers: on a loaded machine the wall times say little. Passes when the
/// two-worker wall time is under <c>--limit-s</c> (default 30 s).
/// <c>dotnet run -c Release --project tests/CanarySim.Benchmarks -- sweeptime [--seeds 1-200] [--requests 100000] [--out reports/bench]</c>
/// </summary>
internal static class SweepTimedRun
{
    public static int Run(string[] args)
    {
        var root = BenchArgs.RepoRoot();
        var cli = BenchArgs.Cli(args, root);
        var plan = BenchArgs.Plan(args, root);
        var seeds = BenchArgs.Text(args, "--seeds") ?? "1-200";
        var requests = (long)BenchArgs.Number(args, "--requests", 100_000);
        var limit = BenchArgs.Number(args, "--limit-s", 30);
        if (BenchArgs.OutDirFor("sweeptime", args, cli) is not { } outDir)
        {
            return 2;
        }
        var rows = new List<(int Workers, double Wall, double Cpu, long Requests, string Load)>();
        foreach (var workers in new[] { 1, 2 })
        {
            var (exitCode, stdout, stderr, wall) = CliProcess.Run(cli, "sweep", "--plan", plan, "--seeds", seeds, "--requests", requests.ToString(CultureInfo.InvariantCulture),
                "--workers", workers.ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(outDir, $"sweep-run-{workers}"), "--json");
            // the CLI reports its own CPU time: a process that has exited cannot be asked on Linux
            var cpuText = System.Text.RegularExpressions.Regex.Match(stderr, @"process CPU (?<cpu>[\d.]+) s");
            var cpu = cpuText.Success ? double.Parse(cpuText.Groups["cpu"].Value, CultureInfo.InvariantCulture) : double.NaN;
            if (exitCode != 0)
            {
                Console.Error.WriteLine($"sweeptime: the sweep with {workers} worker(s) failed (exit {exitCode}):{Environment.NewLine}{stderr}");
                return 1;
            }
            using var summary = JsonDocument.Parse(stdout);
            var runs = summary.RootElement.GetProperty("runs_completed").GetInt32();
            rows.Add((workers, wall.TotalSeconds, cpu, runs * requests, Load()));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workers} worker(s): {runs} runs in {wall.TotalSeconds:0.0} s wall, {cpu:0.0} s CPU, load {rows[^1].Load}"));
        }
        var (one, two) = (rows[0], rows[1]);
        var ok = two.Wall < limit;
        var md = new StringBuilder()
            .AppendLine("# Sweep throughput")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"**{(ok ? "PASS" : "FAIL")}**: `canarysim sweep --plan {Path.GetFileName(plan)} --seeds {seeds} --requests {requests:N0}` ({two.Requests:N0} simulated requests), two workers: {two.Wall:0.0} s wall (target < {limit:0.##} s).")
            .AppendLine()
            .AppendLine("| workers | wall | CPU (user + system) | requests/s (wall) | requests per CPU-second | load average at the end (1/5/15 min) |")
            .AppendLine("|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Workers} | {r.Wall:0.0} s | {r.Cpu:0.0} s | {r.Requests / r.Wall:N0} | {r.Requests / r.Cpu:N0} | {r.Load} |");
        }
        md.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Speed-up 1 → 2 workers: {one.Wall / two.Wall:0.00}× by wall time; {2 * one.Cpu / two.Cpu:0.00}× expected on two free cores (2 × CPU with one worker / CPU with two).")
            .AppendLine(CultureInfo.InvariantCulture, $"Two free cores would take about {two.Cpu / 2:0.0} s for the two-worker sweep. Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
        return BenchReport.Finish(outDir, "sweep.md", "sweep-bench.summary.json", $"Sweep throughput (7-week plan, seeds {seeds}, {requests:N0} requests each)",
            string.Create(CultureInfo.InvariantCulture, $"2 workers {two.Wall:0.0} s wall, {two.Cpu:0.0} s CPU; 1→2 workers {one.Wall / two.Wall:0.00}× (wall), {2 * one.Cpu / two.Cpu:0.00}× (CPU)"),
            ok, md.ToString());
    }

    private static string Load() => File.Exists("/proc/loadavg")
        ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
        : "n/a";
}
