using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CanarySim.Testing;

namespace CanarySim.Benchmarks;

/// <summary>
/// The fleet numbers (not a unit test): real <c>canarysim serve</c> processes — three on one PostgreSQL database
/// (a throwaway cluster started here), then two on one SQLite file — take <c>--rate</c> route decisions per second
/// while <c>--flips</c> kill-switch / re-enable flips are made on random instances, one instance SIGKILLed midway.
/// Reports, per store, the time from each flip's acknowledgement (and from its sending) until every live instance
/// serves it (p50, p99, max), torn decisions, failed decisions and whether every acknowledged change is in the history.
/// Passes when nothing is torn, lost or failed, every flip arrives, and the PostgreSQL p99 is under 1 s.
/// <c>dotnet run -c Release --project tests/CanarySim.Benchmarks -- fleet --cli src/CanarySim.Cli/bin/Release/net10.0/canarysim.dll [--flips 20] [--rate 1000] [--out reports/bench]</c>
/// </summary>
internal static class FleetBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = BenchArgs.RepoRoot();
        var cli = BenchArgs.Cli(args, root);
        var flips = (int)BenchArgs.Number(args, "--flips", 20);
        var rate = BenchArgs.Number(args, "--rate", 1000);
        var outDir = BenchArgs.OutDir(args);
        Directory.CreateDirectory(outDir);
        var dir = Path.Combine(Path.GetTempPath(), "canarysim-fleet-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);

        var runs = new List<(string Store, int Instances, FleetRunResult Result)>();
        try
        {
            var postgres = new FleetRunOptions(cli, PostgresCluster.Shared.CreateDatabase("bench"), null, 3, flips, rate, flips / 2);
            Console.WriteLine($"PostgreSQL cluster started in {PostgresCluster.Shared.StartTime.TotalSeconds:0.0} s");
            runs.Add(("PostgreSQL (LISTEN/NOTIFY)", 3, await FleetRun.RunAsync(postgres, Console.Out)));
            var sqlite = new FleetRunOptions(cli, null, Path.Combine(dir, "fleet.db"), 2, flips, rate, flips / 2);
            runs.Add(("SQLite file (data_version poll, 250 ms)", 2, await FleetRun.RunAsync(sqlite, Console.Out)));
        }
        finally
        {
            PostgresCluster.StopShared();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }

        var load = GuardLoadTest.LoadAverage();
        var ok = runs.All(r => r.Result.TornDecisions == 0 && r.Result.FailedDecisions == 0 && r.Result.FlipsNotPropagated == 0 && r.Result.MissingFromHistory.Count == 0)
            && FleetRunResult.Percentile(runs[0].Result.PropagationMs, 0.99) < 1000;
        var md = new StringBuilder()
            .AppendLine("# Fleet: kill-switch propagation")
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"**{(ok ? "PASS" : "FAIL")}** — real `canarysim serve` processes on one store, {rate:0} route decisions/s over HTTP (round robin) while {flips} kill-switch/re-enable flips are made on random instances; one instance SIGKILLed after flip {flips / 2}. ")
                + "Propagation: from a flip's acknowledgement (and from sending it) until every live instance has answered a decision made on it. "
                + $"Measured with load average {load} on {Environment.ProcessorCount} cores (other work shares the machine: compare the stores, not absolute numbers).")
            .AppendLine()
            .AppendLine("| store | instances | flips arrived | after ack p50 / p99 / max | after send p50 / p99 / max | decisions (failed) | achieved rate | torn | acknowledged changes missing from history | killed |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        var json = new JsonArray();
        foreach (var (store, n, r) in runs)
        {
            double P(IReadOnlyList<double> v, double q) => FleetRunResult.Percentile(v, q);
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {store} | {n} | {r.PropagationMs.Count}/{flips} | {P(r.PropagationMs, 0.5):0.0} / {P(r.PropagationMs, 0.99):0.0} / {P(r.PropagationMs, 1):0.0} ms | {P(r.FromSendMs, 0.5):0.0} / {P(r.FromSendMs, 0.99):0.0} / {P(r.FromSendMs, 1):0.0} ms | {r.Decisions} ({r.FailedDecisions}) | {r.AchievedRate:0}/s | {r.TornDecisions} | {r.MissingFromHistory.Count} of {r.AcknowledgedVersions.Count} | {r.Killed ?? "none"} |");
            json.Add(new JsonObject
            {
                ["store"] = store, ["instances"] = n, ["flips"] = flips, ["flips_arrived"] = r.PropagationMs.Count,
                ["after_ack_ms"] = new JsonObject { ["p50"] = P(r.PropagationMs, 0.5), ["p99"] = P(r.PropagationMs, 0.99), ["max"] = P(r.PropagationMs, 1) },
                ["after_send_ms"] = new JsonObject { ["p50"] = P(r.FromSendMs, 0.5), ["p99"] = P(r.FromSendMs, 0.99), ["max"] = P(r.FromSendMs, 1) },
                ["decisions"] = r.Decisions, ["failed_decisions"] = r.FailedDecisions, ["achieved_rate_per_s"] = Math.Round(r.AchievedRate, 1),
                ["torn_decisions"] = r.TornDecisions, ["acknowledged_changes"] = r.AcknowledgedVersions.Count, ["missing_from_history"] = r.MissingFromHistory.Count,
                ["killed"] = r.Killed, ["errors"] = new JsonArray(r.Errors.Take(10).Select(e => (JsonNode)e).ToArray()),
            });
            foreach (var e in r.Errors.Take(10))
            {
                md.AppendLine().Append("- ").Append(store).Append(": ").AppendLine(e);
            }
        }
        var report = new JsonObject { ["ok"] = ok, ["rate_per_s"] = rate, ["load_average_1m"] = load, ["machine"] = $"{Environment.ProcessorCount} cores, .NET {Environment.Version}", ["runs"] = json };
        File.WriteAllText(Path.Combine(outDir, "fleet.json"), report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var pg = runs[0].Result;
        return BenchReport.Finish(outDir, "fleet.md", "fleet.summary.json", "Fleet: kill-switch propagation (PostgreSQL, SQLite)",
            string.Create(CultureInfo.InvariantCulture, $"PostgreSQL p50 {FleetRunResult.Percentile(pg.PropagationMs, 0.5):0} ms, p99 {FleetRunResult.Percentile(pg.PropagationMs, 0.99):0} ms, {pg.TornDecisions} torn"),
            ok, md.ToString());
    }
}
