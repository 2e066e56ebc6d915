using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;
using CanarySim.Harness.Sweeps;
using CanarySim.Reports.Sweeps;
using Spectre.Console;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim sweep --plan P --seeds A-B [--requests N] [--inject …]… [--policy P.json] [--shard i/N] [--workers W] --out D [--json]</c>:
/// policy power analysis. Runs the plan once per seed and scenario on the local cores and writes the false-alarm rate,
/// the detection probability per injection (95 % Wilson intervals), the time from injection to detection and every false
/// alarm with the checks that raised it.
/// </summary>
internal static class SweepCommand
{
    /// <summary>Exit code of a sweep stopped with Ctrl+C (128 + SIGINT): its partial summary was written.</summary>
    public const int Interrupted = 130;

    private const string Help =
        "Policy power analysis: run the plan once per seed (--seeds A-B) with nothing injected and once per seed for every " +
        "--inject (or every step of an injection range such as \"v2.latency+10%..+80% step 10% at day 9\"), in parallel on the " +
        "local cores, through the real router, detector and rollback controller. Without --inject the plan's own inject: " +
        "entries are the injections. Reports per scenario the false-alarm rate (runs that rolled back, paused or reduced " +
        "traffic with nothing injected yet) and the detection probability (runs that did one of those at or after the injection), each " +
        "with a 95 % Wilson interval, the time from injection to that first action (median, p90, max) and every false alarm with the " +
        "checks that raised it.\n" +
        "Writes to --out: sweep.json (summary), runs.jsonl (one line per run, seed order), sweep.md, sweep.html (power curve " +
        "and time-to-detection distribution, offline SVG) and sweep.summary.json for the report index. Runs are deterministic " +
        "per seed: the same arguments write the same bytes with any number of workers.\n" +
        "--shard i/N (1 ≤ i ≤ N) runs every N-th seed starting at the i-th; 'canarysim sweep-merge' merges the N shard " +
        "folders into exactly the files of the unsharded sweep.\n" +
        "Ctrl+C stops handing out runs and writes a summary of the finished runs marked partial (exit 130).\n" +
        "Exit codes: 0 = done; 2 = bad plan, policy, seeds, shard, injection or usage (named); 130 = interrupted (partial summary written).";

    public static Command Create(CliIo io)
    {
        var plan = new Option<FileInfo>("--plan") { Description = "Plan file (.yaml, .yml or .json).", Required = true };
        var seeds = new Option<string>("--seeds") { Description = "Seeds A-B (inclusive), e.g. 1-500.", Required = true };
        var requests = new Option<long?>("--requests") { Description = "Requests per run (overrides traffic.requests)." };
        var inject = new Option<string[]>("--inject") { Description = "Injection or injection range (repeatable), e.g. \"v2.latency+20% at day 9\" or \"v2.latency+10%..+80% step 10% at day 9\".", AllowMultipleArgumentsPerToken = false };
        var policy = new Option<FileInfo?>("--policy") { Description = "Detector policy JSON (default: the detector defaults with the plan's rollback triggers)." };
        var shard = new Option<string?>("--shard") { Description = "Run shard i of N (i/N, 1 ≤ i ≤ N): every N-th seed starting at the i-th." };
        var workers = new Option<int?>("--workers") { Description = "Runs at once (default: one per core)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON (no progress bar)." };
        var command = new Command("sweep", Help) { plan, seeds, requests, inject, policy, shard, workers, output, json };
        command.SetAction(parse => Run(io, new Args(parse.GetValue(plan)!, parse.GetValue(seeds)!, parse.GetValue(requests), parse.GetValue(inject) ?? [],
            parse.GetValue(policy), parse.GetValue(shard), parse.GetValue(workers), parse.GetValue(output)!, parse.GetValue(json))));
        return command;
    }

    private sealed record Args(FileInfo Plan, string Seeds, long? Requests, string[] Injects, FileInfo? Policy, string? Shard, int? Workers, DirectoryInfo Out, bool Json);

    private static int Run(CliIo io, Args a)
    {
        SeedRange seeds;
        SweepShard shard;
        try
        {
            seeds = SeedRange.Parse(a.Seeds);
            shard = a.Shard is null ? SweepShard.Whole : SweepShard.Parse(a.Shard);
        }
        catch (FormatException ex)
        {
            return io.UsageError((ex.Message.StartsWith("shard", StringComparison.Ordinal) ? "--shard: " : "--seeds: ") + ex.Message);
        }
        if (a.Requests is < 1)
        {
            return io.UsageError($"--requests: expected at least 1, got {a.Requests}.");
        }
        if (a.Workers is < 1 or > 1024)
        {
            return io.UsageError($"--workers: expected 1 to 1024, got {a.Workers}.");
        }
        if (!shard.Seeds(seeds).Any())
        {
            return io.UsageError($"--shard {shard}: the {seeds.Count} seed{(seeds.Count == 1 ? "" : "s")} {seeds} leave shard {shard} nothing to run; use at most {seeds.Count} shards.");
        }
        LoadedPlan loaded;
        try
        {
            loaded = PlanFile.Load(a.Plan.FullName);
        }
        catch (PlanValidationException ex)
        {
            return io.UsageError($"invalid plan ({ex.Errors.Count} problem{(ex.Errors.Count == 1 ? "" : "s")}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", ex.Errors));
        }
        var plan = loaded.Plan;
        IReadOnlyList<SweepScenario> scenarios;
        try
        {
            scenarios = InjectionRange.Scenarios(a.Injects.Length > 0 ? a.Injects : plan.Inject, plan.Start);
        }
        catch (FormatException ex)
        {
            return io.UsageError((a.Injects.Length > 0 ? "--inject: " : $"{a.Plan.Name}: inject: ") + ex.Message);
        }
        DetectorOptions? policy = null;
        if (a.Policy is not null)
        {
            try
            {
                policy = PolicyLoader.Parse(File.ReadAllText(a.Policy.FullName), a.Policy.FullName);
            }
            catch (PolicyException ex)
            {
                return io.UsageError("--policy: " + ex.Message);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return io.UsageError($"--policy: {a.Policy.FullName}: cannot read the policy file: {ex.Message}");
            }
        }
        var settings = new SweepSettings
        {
            Seeds = seeds,
            Shard = shard,
            Scenarios = scenarios,
            Requests = a.Requests,
            Policy = policy,
            Workers = a.Workers ?? Environment.ProcessorCount,
            ArtifactBase = a.Plan.DirectoryName ?? ".",
        };
        SweepRunner runner;
        try
        {
            runner = new SweepRunner(plan, settings);
            FaultInjectionParser.CheckWithin(scenarios.Where(s => s.Injection is not null).Select(s => s.Injection!), plan.Duration);
        }
        catch (FormatException ex)
        {
            return io.UsageError((a.Injects.Length > 0 ? "--inject: " : $"{a.Plan.Name}: inject: ") + ex.Message);
        }
        catch (PlanValidationException ex)
        {
            return io.UsageError($"invalid plan or policy ({ex.Errors.Count} problem{(ex.Errors.Count == 1 ? "" : "s")}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", ex.Errors));
        }
        var identity = SweepIdentity.Of(a.Plan.FullName, plan, a.Policy?.FullName, seeds, a.Requests, scenarios);

        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // keep the process: the finished runs are summarised and written as partial
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var interactive = !a.Json && ReferenceEquals(io.Out, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
        io.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweeping {plan.Name}: {runner.Planned:N0} runs ({scenarios.Count} scenario{(scenarios.Count == 1 ? "" : "s")} × seeds {seeds}{(shard.IsWhole ? "" : $", shard {shard}")}) on {Math.Min(settings.Workers, runner.Planned)} worker{(settings.Workers == 1 ? "" : "s")}; Ctrl+C writes a partial summary"));
        io.Err.Flush();
        var stopwatch = Stopwatch.StartNew();
        SweepRunOutcome outcome;
        try
        {
            outcome = interactive ? RunWithProgress(runner, interrupt.Token) : runner.Run(null, interrupt.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        stopwatch.Stop();

        var summary = SweepSummary.Build(identity, shard, outcome.Runs, outcome.Planned, outcome.Partial);
        SweepFolder.Write(a.Out.FullName, summary, outcome.Runs);
        if (a.Json)
        {
            io.Out.Write(SweepJson.Summary(summary));
        }
        else
        {
            io.Out.WriteLine($"{plan.Name}: {SweepText.Verdict(summary)}");
            foreach (var s in summary.Scenarios.Where(s => s.Detected is not null))
            {
                var t = s.TimeToDetectionSeconds;
                io.Out.WriteLine($"  {s.Name}: detected {s.Detected}/{s.Runs} ({SweepText.Percent(s.DetectionRate!.Value)}, 95 % CI {SweepText.Percent(s.DetectionCi95!.Lower)}–{SweepText.Percent(s.DetectionCi95.Upper)})" +
                                 (t is null ? "" : $" by {SweepText.Checks(s.DetectedBy)}, after median {SweepText.Duration(t.Median)}, p90 {SweepText.Duration(t.P90)}, max {SweepText.Duration(t.Max)}") +
                                 (s.FalseAlarms > 0 ? $"; {s.FalseAlarms} false alarm{(s.FalseAlarms == 1 ? "" : "s")} before the injection" : ""));
            }
            io.Out.WriteLine($"  wrote {Path.Combine(a.Out.FullName, "sweep.html")}, sweep.md, sweep.json, runs.jsonl");
        }
        // wall-clock numbers: stderr, so stdout stays the deterministic result
        var seconds = Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-6);
        var requests = outcome.Runs.Sum(r => r.Requests);
        io.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {outcome.Runs.Count:N0} runs, {requests:N0} simulated requests in {seconds:0.00} s on {Math.Min(settings.Workers, runner.Planned)} worker(s): {requests / seconds:N0} requests/s, {outcome.Runs.Count / seconds:0.0} runs/s; process CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.00} s"));
        if (outcome.Partial)
        {
            io.Err.WriteLine($"  interrupted: wrote a partial summary of {outcome.Runs.Count} of {outcome.Planned} runs");
            return Interrupted;
        }
        return CanarySimCli.Ok;
    }

    private static SweepRunOutcome RunWithProgress(SweepRunner runner, CancellationToken token)
    {
        SweepRunOutcome? outcome = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("starting", maxValue: runner.Planned);
                outcome = runner.Run(p =>
                {
                    task.Value = p.Done;
                    var detected = p.InjectedRuns > 0 ? string.Create(CultureInfo.InvariantCulture, $" · detected {p.Detected}/{p.InjectedRuns} ({(double)p.Detected / p.InjectedRuns:P0})") : "";
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{p.Done}/{p.Total} runs · false alarms {p.FalseAlarms}/{p.HealthyRuns}{detected}"));
                }, token);
            });
        return outcome!;
    }
}
