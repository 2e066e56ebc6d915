using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Gating;
using CanarySim.Core.Reporting;
using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;
using CanarySim.Harness.WireMock;
using Spectre.Console;
using CanarySim.Reports;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim simulate --plan P [--profile T] [--seed N] [--requests N] [--inject …]… [--policy P.json] [--engines inprocess|wiremock] [--engine-timeout-ms N] [--out DIR] [--json]</c>
/// runs a rollout plan against synthetic traffic in virtual time through the real router,
/// detector and rollback controller, and writes the evidence log, the HTML report, the audit log and summaries.
/// </summary>
internal static class SimulateCommand
{
    private const string Help =
        "Run a rollout plan (YAML or JSON, schema fixtures/plans/schema/plan.v1.schema.json) against synthetic traffic in " +
        "virtual time, through the real router, regression detector and rollback controller.\n" +
        "Writes to --out (default reports/simulations/<plan name>): <name>.html (report with charts), <name>.evidence.md and " +
        ".evidence.json (one row per observation window), <name>.audit.jsonl, <name>.result.json, release-gate reports of the " +
        "plan's gates, <name>.summary.json / <name>.evidence.summary.json for the report index, and with the plan's evidence.app_log the app's own log <name>.app.log " +
        "([STARTUP], [V2-SUMMARY], [V2-METRICS], [V2-ANOMALY] lines, timestamped).\n" +
        "The same plan, options and --seed give byte-identical files.\n" +
        "--engines wiremock calls the WireMock-stubbed planners over HTTP (a WireMock.Net server inside this process on a free " +
        "127.0.0.1 port; stubs from fixtures/wiremock) through the real HTTP engine client and canary " +
        "executor: real answers feed the decision diff, seeded faults become real HTTP 500s, timeouts and wrong-shaped answers. " +
        "Metrics stay seeded in virtual time, so evidence, audit and result files are the same as in-process. Without --requests it simulates at most 5,000 requests.\n" +
        "--inject examples: \"v2.latency+40% at day 9\", \"v2.errors=20% at day 10 for 2h\", \"v2.cost x4 at 12d\", " +
        "\"v2.quality-10 at day 20\", \"v2.policy_violation at day 15\", \"fallbacks=30% at day 9 for 1h\", " +
        "\"complaints=20/h at day 4 for 2h\", \"metrics.auth at day 3 for 30m\", \"v2.stall at day 3 for 2h\" ('day N' = N days after the plan start); " +
        "application metrics the policy reads: \"v2.llm_call=35% for SICK_CALLER at day 2\" (true on 35 % of SICK_CALLER's runs), " +
        "\"v2.staff_response_ms+25% at day 3\", \"v2.tokens=4500 at 36h for 5m\", \"v2.anomaly at day 2\" (one run).\n" +
        "--policy replaces the detector policy (canarysim.policy/v2 or the flat form; default: the detector defaults with the plan's rollback triggers).\n" +
        "Exit codes: 0 = completed or still healthy; 1 = rolled back; 2 = bad plan, injection or usage (the file, line and field are named), " +
        "or --engines wiremock cannot run (what is missing is named, e.g. a stub file).";

    public static Command Create(CliIo io)
    {
        var plan = new Option<FileInfo>("--plan") { Description = "Plan file (.yaml, .yml or .json).", Required = true };
        var profile = new Option<string?>("--profile") { Description = "Traffic profile: steady or diurnal (overrides the plan's)." };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same outputs).", DefaultValueFactory = _ => 42 };
        var requests = new Option<long?>("--requests") { Description = "Requests over the whole plan (overrides traffic.requests)." };
        var inject = new Option<string[]>("--inject") { Description = "Fault to inject (repeatable), e.g. \"v2.latency+40% at day 9\".", AllowMultipleArgumentsPerToken = false };
        var policy = new Option<FileInfo?>("--policy") { Description = "Detector policy JSON (canarysim.policy/v2 or flat; default: the detector defaults with the plan's rollback triggers)." };
        var engines = new Option<string>("--engines") { Description = "inprocess (default: synthetic engines in this process) or wiremock (the WireMock-stubbed engines over HTTP; at most 5,000 requests unless --requests says otherwise).", DefaultValueFactory = _ => "inprocess" };
        var engineTimeout = new Option<int?>("--engine-timeout-ms") { Description = "wiremock: wall-clock budget of one engine call in milliseconds, 10–1400 (default 250); a v2 slower than this times out and v1 serves." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default reports/simulations/<plan name>)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (no progress bar)." };
        var command = new Command("simulate", Help) { plan, profile, seed, requests, inject, policy, engines, engineTimeout, output, json };
        command.SetAction(parse => Run(io, parse.GetValue(plan)!, parse.GetValue(profile), parse.GetValue(seed), parse.GetValue(requests),
            parse.GetValue(inject) ?? [], parse.GetValue(policy), parse.GetValue(engines)!, parse.GetValue(engineTimeout), parse.GetValue(output), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliIo io, FileInfo planFile, string? profile, int seed, long? requests, string[] injects, FileInfo? policyFile, string engines, int? engineTimeoutMs, DirectoryInfo? outDir, bool json)
    {
        if (profile is not null and not ("steady" or "diurnal"))
        {
            return io.UsageError($"--profile: expected steady or diurnal, got '{profile}'.");
        }
        if (requests is < 1)
        {
            return io.UsageError($"--requests: expected at least 1, got {requests}.");
        }
        SimulationEngines? engineMode = engines.AsSpan().Trim().Equals("inprocess", StringComparison.OrdinalIgnoreCase) ? SimulationEngines.InProcess
            : WireName.TryParseIgnoreCase<SimulationEngines>(engines, out var parsed) ? parsed : null;
        if (engineMode is null)
        {
            return io.UsageError($"--engines: expected inprocess or wiremock, got '{engines}'.");
        }
        if (engineTimeoutMs is not null && (engineMode != SimulationEngines.WireMock || engineTimeoutMs is < 10 or > 1400))
        {
            return io.UsageError(engineMode != SimulationEngines.WireMock
                ? "--engine-timeout-ms: only used with --engines wiremock."
                : $"--engine-timeout-ms: expected 10 to 1400 (below the 3 s delay of the directed-timeout stub), got {engineTimeoutMs}.");
        }
        LoadedPlan loaded;
        try
        {
            loaded = PlanFile.Load(planFile.FullName);
        }
        catch (PlanValidationException ex)
        {
            return io.UsageError($"invalid plan ({ex.Errors.Count} problem{(ex.Errors.Count == 1 ? "" : "s")}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", ex.Errors));
        }
        var plan = loaded.Plan;
        IReadOnlyList<FaultInjection> injections;
        try
        {
            _ = FaultInjectionParser.ParseAll(plan.Inject, plan.Start);
        }
        catch (FormatException ex)
        {
            return io.UsageError($"{planFile.FullName}: inject: " + ex.Message);
        }
        try
        {
            injections = FaultInjectionParser.ParseAll(injects, plan.Start);
        }
        catch (FormatException ex)
        {
            return io.UsageError("--inject: " + ex.Message);
        }
        DetectorOptions? policy = null;
        if (policyFile is not null)
        {
            try
            {
                policy = PolicyLoader.Parse(File.ReadAllText(policyFile.FullName), policyFile.FullName);
            }
            catch (PolicyException ex)
            {
                return io.UsageError("--policy: " + ex.Message);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return io.UsageError($"--policy: {policyFile.FullName}: cannot read the policy file: {ex.Message}");
            }
        }
        var dir = outDir?.FullName ?? Path.Combine("reports", "simulations", plan.Name);
        var interactive = !json && ReferenceEquals(io.Out, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;

        var stopwatch = Stopwatch.StartNew();
        SimulationResult result;
        try
        {
            var options = new SimulationOptions
            {
                Seed = seed,
                Requests = requests,
                Profile = profile,
                Injections = injections,
                Policy = policy,
                Engines = engineMode.Value,
                ArtifactBase = planFile.DirectoryName ?? ".",
            };
            if (engineTimeoutMs is { } ms)
            {
                options = options with { WireMock = options.WireMock with { EngineTimeout = TimeSpan.FromMilliseconds(ms) } };
            }
            if (engineMode == SimulationEngines.WireMock && requests is null)
            {
                var effective = RolloutSimulator.EffectiveRequests(plan, options);
                if (effective < plan.Traffic.Requests)
                {
                    io.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"--engines wiremock: simulating {effective:N0} of the plan's {plan.Traffic.Requests:N0} requests (each is an HTTP call; choose with --requests)."));
                }
            }
            var simulator = new RolloutSimulator(plan, options);
            // After the simulator's own checks, so a misspelt fault is named as such before its time is judged.
            try
            {
                FaultInjectionParser.CheckWithin(FaultInjectionParser.ParseAll(plan.Inject, plan.Start), plan.Duration);
            }
            catch (FormatException ex)
            {
                return io.UsageError($"{planFile.FullName}: inject: " + ex.Message);
            }
            FaultInjectionParser.CheckWithin(injections, plan.Duration);
            result = interactive ? RunWithProgress(simulator, options) : simulator.Run();
        }
        catch (PlanValidationException ex)
        {
            return io.UsageError($"invalid plan ({ex.Errors.Count} problem{(ex.Errors.Count == 1 ? "" : "s")}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", ex.Errors));
        }
        catch (FormatException ex)
        {
            return io.UsageError("--inject: " + ex.Message);
        }
        catch (WireMockSetupException ex)
        {
            return io.UsageError("--engines wiremock: cannot run the WireMock engines: " + ex.Message);
        }
        catch (SimulationEngineException ex)
        {
            return io.UsageError("--engines wiremock: " + ex.Message);
        }
        stopwatch.Stop();

        var name = plan.Name;
        AtomicFile.WriteAllText(Path.Combine(dir, name + ".evidence.md"), result.Evidence.ToMarkdown());
        AtomicFile.WriteAllText(Path.Combine(dir, name + ".evidence.json"), result.Evidence.ToJson());
        AtomicFile.WriteAllText(Path.Combine(dir, name + ".html"), SimulationReportWriter.Render(result.Report));
        AtomicFile.WriteAllText(Path.Combine(dir, name + ".audit.jsonl"), result.AuditJsonl());
        if (result.AppLog.Count > 0)
        {
            AtomicFile.WriteAllText(Path.Combine(dir, name + ".app.log"), string.Join("\n", result.AppLog) + "\n");
        }
        foreach (var gate in result.GateReports)
        {
            AtomicFile.WriteAllText(Path.Combine(dir, gate.FileStem + ".json"), GateReportWriter.ToJson(gate));
            AtomicFile.WriteAllText(Path.Combine(dir, gate.FileStem + ".md"), gate.ToMarkdown());
        }
        var resultJson = ResultJson(result);
        AtomicFile.WriteAllText(Path.Combine(dir, name + ".result.json"), resultJson);
        var title = plan.Title.Length > 0 ? plan.Title : plan.Name;
        WriteSummary(Path.Combine(dir, name + ".summary.json"), new ReportSummary("simulation", $"{title} (seed {seed})", result.Verdict, name + ".html", result.Ok));
        var decisions = result.Evidence.Rows.GroupBy(r => r.Decision).Select(g => $"{g.Count()} {g.Key}");
        WriteSummary(Path.Combine(dir, name + ".evidence.summary.json"),
            new ReportSummary("evidence", $"{title}: evidence log", $"{result.Evidence.Rows.Count} windows: {string.Join(", ", decisions)}", name + ".evidence.md", result.Ok));

        if (json)
        {
            io.Out.WriteLine(resultJson.TrimEnd());
        }
        else
        {
            io.Out.WriteLine($"{plan.Name}: {result.Verdict}");
            foreach (var i in result.Injections)
            {
                io.Out.WriteLine($"  injected {i.Text}: {(i.FirstBreachAt is { } b ? $"first breach {b.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} ({string.Join(", ", i.FirstBreachChecks)})" : "no check breached")}, " +
                                 (i.TimeToRollback is { } t ? $"rolled back after {PlanDuration.Format(t)}" : $"not rolled back (action {i.Action})"));
            }
            io.Out.WriteLine($"  wrote {Path.Combine(dir, name + ".html")}, {name}.evidence.md/.json, {name}.audit.jsonl{(result.AppLog.Count > 0 ? $", {name}.app.log" : "")}");
            var seconds = Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-6);
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  simulated {result.Requests:N0} requests and {result.Evaluations:N0} evaluations in {seconds:0.00} s ({result.Requests / seconds:N0} req/s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MB)"));
        }
        if (result.WireMock is { } http)
        {
            // wall-clock numbers: to stderr with --json, whose stdout is the deterministic result
            (json ? io.Err : io.Out).WriteLine(HttpLine(http));
        }
        return result.Outcome == SimulationOutcome.RolledBack ? CanarySimCli.Negative : CanarySimCli.Ok;
    }

    private static SimulationResult RunWithProgress(RolloutSimulator simulator, SimulationOptions options)
    {
        SimulationResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("starting", maxValue: 1.0);
                var run = new RolloutSimulator(simulator.Plan, options with
                {
                    Progress = p =>
                    {
                        task.Value = p.Fraction;
                        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"{p.At:yyyy-MM-dd HH:mm} · {p.Stage} · {(p.KillSwitch ? "kill switch" : $"{p.Percent:0.##} %")}"));
                    },
                });
                result = run.Run();
                task.Value = 1.0;
            });
        return result!;
    }

    private static string HttpLine(WireMockRunStats s) => string.Create(CultureInfo.InvariantCulture,
        $"  engines over HTTP (WireMock at {s.BaseUrl}): {s.Calls:N0} calls (v1 {s.V1Calls:N0}, v2 {s.V2Calls:N0}; {s.ComparisonCalls:N0} for diffs) for {s.Requests:N0} requests " +
        $"in {s.Elapsed.TotalSeconds:0.00} s: {s.CallsPerSecond:N0} calls/s, {s.RequestsPerSecond:N0} requests/s; {s.Retries:N0} retried; server start, stubs and warm-up {s.Startup.TotalSeconds:0.0} s");

    private static void WriteSummary(string path, ReportSummary summary) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(summary, CliIo.Json) + "\n");

    private static string ResultJson(SimulationResult r)
    {
        static string Ts(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";
        var doc = new
        {
            plan = r.Plan.Name,
            seed = r.Seed,
            outcome = WireName.Of(r.Outcome),
            verdict = r.Verdict,
            ok = r.Ok,
            final_stage = r.Report.FinalStage,
            final_percent = r.Report.FinalPercent,
            requests = r.Requests,
            v2_served = r.V2Served,
            fallbacks = r.Report.Fallbacks,
            evaluations = r.Evaluations,
            start = Ts(r.Report.Start),
            end = Ts(r.Report.End),
            stages = r.Report.Stages.Select(s => new { name = s.Name, kind = s.Kind, percent = s.Percent, entered = Ts(s.Entered), left = s.Left is null ? null : Ts(s.Left), outcome = s.Outcome }),
            injections = r.Injections.Select(i => new
            {
                text = i.Text,
                start = Ts(i.Start),
                first_breach_at = i.FirstBreachAt is null ? null : Ts(i.FirstBreachAt),
                first_breach_checks = i.FirstBreachChecks,
                rollback_at = i.RollbackAt is null ? null : Ts(i.RollbackAt),
                time_to_rollback_seconds = i.TimeToRollback?.TotalSeconds,
                action = i.Action,
            }),
            evidence_decisions = r.Evidence.Rows.GroupBy(x => x.Decision).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            files = new
            {
                report = r.Plan.Name + ".html",
                evidence_md = r.Plan.Name + ".evidence.md",
                evidence_json = r.Plan.Name + ".evidence.json",
                audit = r.Plan.Name + ".audit.jsonl",
            },
        };
        return JsonSerializer.Serialize(doc, CliIo.Json) + "\n";
    }
}
