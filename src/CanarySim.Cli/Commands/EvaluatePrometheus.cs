using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Metrics.Prometheus;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim evaluate --prometheus URL --policy P.json</c>: one evaluation, now, through the real detector and guard,
/// with the policy's <c>source.prometheus</c> checks read from that server. Checks that read samples have none here
/// and are skipped as insufficient data.
/// </summary>
internal static class EvaluatePrometheus
{
    public static async Task<int> RunAsync(CliIo io, string server, FileInfo? policyFile, bool json, CancellationToken cancellationToken)
    {
        if (!PrometheusSourceOptions.TryParseServer(server, out var url, out var urlError))
        {
            return io.UsageError($"--prometheus: {urlError}");
        }
        if (policyFile is null)
        {
            return io.UsageError("--prometheus needs --policy P.json: a policy whose checks read a \"source\": {\"prometheus\": \"<query>\"}.");
        }
        if (EvaluateCommand.LoadPolicy(io, policyFile) is not { } options)
        {
            return CanarySimCli.Usage;
        }
        var time = TimeProvider.System;
        using var source = new PrometheusMetricSource(new PrometheusSourceOptions { Server = url }, time);
        var detector = new RegressionDetector(new InMemoryMetricsStore(time), options, time, source);
        if (!detector.HasExternalChecks)
        {
            return io.UsageError($"{policyFile.FullName}: no check has a source.prometheus query, so there is nothing to read from {url}.");
        }
        var audit = new InMemoryAuditLog();
        var live = new LiveSettings(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 100 });
        var guard = new CanaryGuard(detector, new RollbackController(live, new InMemorySettingsStore(), audit, time, options), audit, time);

        var outcome = await guard.EvaluateAndActAsync(cancellationToken);

        // The in-memory sample store cannot fail: a measurement without a verdict is a bug, never to be read as a pass.
        var verdict = outcome.Verdict ?? throw new InvalidOperationException($"evaluation failed: {outcome.Measurement.Error}");
        EvaluateCommand.Print(io, verdict, options, json);
        return verdict.IsNegative || verdict.Errors.Count > 0 ? CanarySimCli.Negative : CanarySimCli.Ok;
    }
}
