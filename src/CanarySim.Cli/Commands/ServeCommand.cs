using System.CommandLine;
using CanarySim.Metrics.Prometheus;
using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;
using CanarySim.Service;
using CanarySim.Service.Notification;
using CanarySim.Service.Rollout;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim serve [--urls U] [--db F | --store CONN] [--instance-name N] [--ops-token-file F] [--app-token-file F] [--insecure-dev] [--policy P.json] [--prometheus URL] [--notify-webhook URL] [--evaluation-interval S] [--plan P.yaml]</c>:
/// runs the guard API and dashboard until Ctrl+C, and with <c>--plan</c> runs the plan live. Exit 2 when it refuses to start
/// (no or short ops token without --insecure-dev, unusable database or policy), 1 when it cannot bind.
/// </summary>
internal static class ServeCommand
{
    private const string Help =
        "Run the guard API and dashboard until Ctrl+C; with --plan, run that plan live.\n" +
        "Exit codes: 0 = stopped (Ctrl+C); 1 = cannot listen on --urls; 2 = refused to start (no or short ops token without " +
        "--insecure-dev, invalid plan, policy, database or option: named).";

    public static Command Create(CliIo io)
    {
        var defaults = new GuardServiceOptions();
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on.", DefaultValueFactory = _ => defaults.Urls };
        var db = new Option<string>("--db") { Description = "SQLite database file, created on first start (a relative path is in the current directory).", DefaultValueFactory = _ => defaults.DatabasePath };
        var store = new Option<string?>("--store") { Description = "PostgreSQL connection string of the fleet store (\"Host=…;Port=…;Username=…;Database=…\"): every instance given the same one shares settings, history, audit log and samples, and sees every change at once (LISTEN/NOTIFY). Instead of --db." };
        var instance = new Option<string?>("--instance-name") { Description = "Name this instance records with its settings changes (default machine:process-id)." };
        var tokenFile = new Option<FileInfo?>("--ops-token-file") { Description = $"File holding the ops token (at least {defaults.MinimumTokenLength} characters); otherwise ${GuardServiceOptions.TokenEnvironmentVariable} is read." };
        var appTokenFile = new Option<FileInfo?>("--app-token-file") { Description = $"File holding the app token (at least {defaults.MinimumTokenLength} characters), which may only route, post samples and post diffs; otherwise ${GuardServiceOptions.AppTokenEnvironmentVariable} is read, and without either only the ops token is accepted." };
        var insecure = new Option<bool>("--insecure-dev") { Description = "Start without a (long enough) ops token. Local development only: logged loudly and shown on the dashboard." };
        var policy = new Option<FileInfo?>("--policy") { Description = "Detector policy JSON (as for 'canarysim evaluate --policy'); the built-in defaults (fixtures/policies/default.json) otherwise." };
        var prometheus = new Option<string?>("--prometheus") { Description = "Prometheus server (http://host:port) that the policy's source.prometheus checks query on every evaluation." };
        var webhook = new Option<string?>("--notify-webhook") { Description = "Webhook (http(s) URL) that gets a JSON POST for every rollback, staged rollback, traffic reduction, pause and manual-review flag (on-call), and after a full rollback the instruction to clear the rate limiter state; retried, each attempt with a timeout." };
        var interval = new Option<double?>("--evaluation-interval") { Description = $"Seconds between background evaluations (default {defaults.EvaluationInterval.TotalSeconds:0}); 0 turns them off." };
        var json = new Option<bool>("--json") { Description = "Print the start-up line (addresses, dashboard, database) as JSON." };
        var plan = new Option<FileInfo?>("--plan") { Description = "Rollout plan (.yaml, .yml or .json) to run live: the service raises canary_pct stage by stage (holds, healthy evaluations, exit criteria; detector, manual-approval, release-gate and rollback-rehearsal gates) and rolls back on its triggers; traffic, inject, start and duration are ignored live." };
        var command = new Command("serve", Help) { urls, db, store, instance, tokenFile, appTokenFile, insecure, policy, prometheus, webhook, interval, json, plan };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new GuardServiceOptions
            {
                Urls = parse.GetValue(urls)!,
                DatabasePath = parse.GetValue(db)!,
                Store = parse.GetValue(store),
                InstanceName = parse.GetValue(instance),
                OpsTokenFile = parse.GetValue(tokenFile)?.FullName,
                AppTokenFile = parse.GetValue(appTokenFile)?.FullName,
                InsecureDev = parse.GetValue(insecure),
                PolicyFile = parse.GetValue(policy)?.FullName,
                PrometheusUrl = parse.GetValue(prometheus),
                NotifyWebhookUrl = parse.GetValue(webhook),
            };
            if (options.Store is not null && parse.GetResult(db) is { Implicit: false })
            {
                return Task.FromResult(io.UsageError("--db and --store exclude each other: --db is a SQLite file, --store a PostgreSQL connection string."));
            }
            if (options.Store is { } connection && string.IsNullOrWhiteSpace(connection))
            {
                return Task.FromResult(io.UsageError("--store needs a PostgreSQL connection string (\"Host=…;Port=…;Username=…;Database=…\")."));
            }
            if (options.PrometheusUrl is { } url && !PrometheusSourceOptions.TryParseServer(url, out _, out var urlError))
            {
                return Task.FromResult(io.UsageError($"--prometheus: {urlError}"));
            }
            foreach (var address in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                try
                {
                    _ = Microsoft.AspNetCore.Http.BindingAddress.Parse(address);
                }
                catch (FormatException)
                {
                    return Task.FromResult(io.UsageError($"--urls: '{address}' is not an address to listen on: expected e.g. http://127.0.0.1:5080 (several separated by ';')."));
                }
            }
            if (options.NotifyWebhookUrl is { } hook && !WebhookNotifierOptions.TryParseUrl(hook, out _, out var hookError))
            {
                return Task.FromResult(io.UsageError($"--notify-webhook: {hookError}"));
            }
            if (parse.GetValue(plan) is { } planFile)
            {
                try
                {
                    var loaded = PlanFile.Load(planFile.FullName).Plan;
                    LivePlanRules.EnsureLive(loaded);
                    options.Plan = loaded;
                    // As in the simulation: --policy, else the policy file the plan names (beside the plan), else the
                    // detector defaults with the plan's rollback triggers.
                    if (options.PolicyFile is null && loaded.Policy is { } named)
                    {
                        options.PolicyFile = Path.GetFullPath(Path.Combine(planFile.DirectoryName ?? ".", named));
                    }
                    else if (options.PolicyFile is null)
                    {
                        options.Policy = RolloutSimulator.BuildDetectorOptions(loaded);
                    }
                }
                catch (PlanValidationException ex)
                {
                    return Task.FromResult(io.UsageError($"--plan: the plan cannot run live ({ex.Errors.Count} problem{(ex.Errors.Count == 1 ? "" : "s")}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", ex.Errors)));
                }
            }
            if (parse.GetValue(interval) is { } seconds)
            {
                if (!double.IsFinite(seconds) || seconds < 0 || seconds > 86_400)
                {
                    return Task.FromResult(io.UsageError($"--evaluation-interval must be between 0 and 86400 seconds, got {seconds}."));
                }
                options.BackgroundEvaluation = seconds > 0;
                if (seconds > 0)
                {
                    options.EvaluationInterval = TimeSpan.FromSeconds(Math.Max(seconds, 0.01));
                }
            }
            return Task.FromResult(GuardServiceHost.Run(options, io.Out, io.Err, parse.GetValue(json), cancellationToken));
        });
        return command;
    }
}
