using System.CommandLine;
using System.Globalization;
using CanarySim.Core;
using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using Spectre.Console;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim evaluate --samples F.jsonl [--policy P.json] [--json]</c>: replays the samples through the real detector
/// and rollback guard in their own time and prints the verdict. <c>canarysim evaluate --prometheus URL --policy P.json</c>
/// evaluates once with the policy's <c>source.prometheus</c> checks read from that server (<see cref="EvaluatePrometheus"/>).
/// </summary>
internal static class EvaluateCommand
{
    private const string Help =
        "Feed samples (one JSON sample per line: engine, at, latency_ms, quality, cost_cents, …) to the real regression detector and print the verdict: " +
        "verdict, action, breaches with reasons, v1/v2 aggregates and sample counts.\n" +
        "The samples are replayed in timestamp order on a virtual clock set to each sample's 'at', with an evaluation " +
        "after each timestamp, so sustained checks (error_rate, latency_sustained) and the failure limits work as they " +
        "would live. The verdict printed is the one that triggered the most severe action the guard took " +
        "(manual_review or worse; the first such), otherwise the last evaluation's.\n" +
        "With --prometheus URL instead of --samples, evaluates once, now: checks with a source.prometheus query read " +
        "their value from that Prometheus server ($engine becomes v1/v2); a query that fails or does not return exactly " +
        "one value is an error of that check (listed under errors), never a pass.\n" +
        "Exit codes: 0 = verdict pass, inconclusive or insufficient_data (action none or hold); " +
        "1 = action manual_review, pause, reduce_traffic or rollback, or (with --prometheus) a check's query failed; " +
        "2 = bad input (unreadable file, malformed line - the file and line are named - or an invalid policy).";

    public static Command Create(CliIo io)
    {
        var samples = new Option<FileInfo?>("--samples") { Description = "Samples file (.jsonl, one JSON sample per line)." };
        var prometheus = new Option<string?>("--prometheus") { Description = "Prometheus server (http://host:port): evaluate once, now, reading the policy's source.prometheus checks from it (instead of --samples)." };
        var policy = new Option<FileInfo?>("--policy") { Description = "Policy JSON: canarysim.policy/v2 declared checks (fixtures/policies/schema/policy.v2.schema.json) or the flat form; defaults to the built-in policy (fixtures/policies/default.json)." };
        var json = new Option<bool>("--json") { Description = "Print the verdict object as JSON." };
        var command = new Command("evaluate", Help) { samples, prometheus, policy, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (samplesFile, server) = (parse.GetValue(samples), parse.GetValue(prometheus));
            if ((samplesFile is null) == (server is null))
            {
                return io.UsageError("evaluate needs exactly one of --samples F.jsonl or --prometheus URL.");
            }
            return server is null
                ? Run(io, samplesFile!, parse.GetValue(policy), parse.GetValue(json))
                : await EvaluatePrometheus.RunAsync(io, server, parse.GetValue(policy), parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    /// <summary>The policy of <paramref name="policyFile"/> (the built-in one when null), or null after a usage error.</summary>
    internal static DetectorOptions? LoadPolicy(CliIo io, FileInfo? policyFile)
    {
        try
        {
            return policyFile is null ? new DetectorOptions() : PolicyLoader.Parse(File.ReadAllText(policyFile.FullName), policyFile.FullName);
        }
        catch (PolicyException ex)
        {
            io.UsageError(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            io.UsageError($"{policyFile!.FullName}: cannot read the policy file: {ex.Message}");
        }
        return null;
    }

    private static int Run(CliIo io, FileInfo samplesFile, FileInfo? policyFile, bool json)
    {
        if (LoadPolicy(io, policyFile) is not { } options)
        {
            return CanarySimCli.Usage;
        }
        if (io.RefuseMissing(samplesFile, "samples file") is { } refused)
        {
            return refused;
        }
        List<Sample> samples;
        try
        {
            using var reader = new StreamReader(samplesFile.FullName);
            samples = SampleJson.ReadLines(reader, samplesFile.FullName).ToList();
        }
        catch (SampleFormatException ex)
        {
            return io.UsageError(ex.Message);
        }
        catch (IOException ex)
        {
            return io.UsageError($"cannot read '{samplesFile.FullName}': {ex.Message}");
        }
        if (samples.Count == 0)
        {
            return io.UsageError($"{samplesFile.FullName}: no samples (the file is empty).");
        }

        var verdict = Replay(samples.OrderBy(s => s.At).ToList(), options);
        Print(io, verdict, options, json);
        return verdict.Action >= VerdictAction.ManualReview ? CanarySimCli.Negative : CanarySimCli.Ok;
    }

    /// <summary>Prints a verdict as JSON or as tables (breach values in the units and precision of their reasons, from the policy's checks).</summary>
    internal static void Print(CliIo io, Verdict verdict, DetectorOptions options, bool json)
    {
        if (json)
        {
            io.Out.WriteLine(VerdictJson.Serialize(verdict));
        }
        else
        {
            WriteTable(io.Out, verdict, options.Checks ?? DefaultChecks.From(options));
        }
    }

    private static Verdict Replay(List<Sample> ordered, DetectorOptions options)
    {
        var clock = new ReplayClock(ordered[0].At);
        var store = new InMemoryMetricsStore(clock);
        var audit = new InMemoryAuditLog();
        var guard = new CanaryGuard(store, new LiveSettings(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 100 }),
            new InMemorySettingsStore(), audit, options, clock);
        Verdict? last = null;
        Verdict? decisive = null;
        var decisiveAction = VerdictAction.None;
        for (var i = 0; i < ordered.Count; i++)
        {
            store.Add(ordered[i]);
            if (i + 1 < ordered.Count && ordered[i + 1].At == ordered[i].At)
            {
                continue; // evaluate once per timestamp
            }
            clock.AdvanceTo(ordered[i].At);
            var outcome = guard.EvaluateAndAct();
            if (outcome.Measurement.Phase == MeasurementPhase.Error)
            {
                // The in-memory store cannot fail: an error here is a bug, never to be read as a pass.
                throw new InvalidOperationException($"evaluation at {SampleJson.FormatAt(ordered[i].At)} failed: {outcome.Measurement.Error}");
            }
            last = outcome.Verdict ?? last;
            if (outcome.Verdict is { } v && outcome.Action >= VerdictAction.ManualReview && outcome.Action > decisiveAction)
            {
                decisive = v;
                decisiveAction = outcome.Action;
            }
        }
        return decisive ?? last!;
    }

    private static void WriteTable(TextWriter output, Verdict v, IReadOnlyList<CheckDefinition> checks)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 120;
        var summary = new Table().AddColumn("verdict").AddColumn("action").AddColumn("samples v1").AddColumn("samples v2").AddColumn("window").AddColumn("at");
        summary.AddRow(WireName.Of(v.Outcome), WireName.Of(v.Action), v.Samples.V1.ToString(CultureInfo.InvariantCulture), v.Samples.V2.ToString(CultureInfo.InvariantCulture),
            Markup.Escape(v.Window), SampleJson.FormatAt(v.At));
        console.Write(summary);

        var aggregates = new Table().AddColumn("metric").AddColumn("v1").AddColumn("v2");
        void Row(string name, Func<WindowAggregates, double?> get, string format) =>
            aggregates.AddRow(name, Num(get(v.V1), format), Num(get(v.V2), format));
        Row("count", a => a.Count, "0");
        Row("mean quality", a => a.MeanQuality, "0.0");
        Row("p50 latency ms", a => a.P50LatencyMs, "0.###");
        Row("p95 latency ms", a => a.P95LatencyMs, "0.###");
        Row("p99 latency ms", a => a.P99LatencyMs, "0.###");
        Row("mean cost cents", a => a.MeanCostCents, "0.00");
        Row("error rate", a => a.ErrorRate, "0.0%");
        Row("fallback rate", a => a.FallbackRate, "0.0%");
        Row("fallback rate (rolling)", a => a.FallbackRateRolling, "0.0%");
        Row("policy violations", a => a.PolicyViolations, "0");
        Row("complaints per hour", a => a.ComplaintsPerHour, "0.##");
        console.Write(aggregates);

        if (v.Breaches.Count > 0 || v.Pending.Count > 0)
        {
            var breaches = new Table().AddColumn("check").AddColumn("value").AddColumn("threshold").AddColumn("action").AddColumn("reason");
            foreach (var b in v.Breaches.Concat(v.Pending))
            {
                var format = BreachFormat(checks.FirstOrDefault(c => c.Name == b.Check));
                breaches.AddRow(b.Check, Num(b.Value, format), Num(b.Threshold, format), WireName.Of(b.Action), Markup.Escape(b.Reason));
            }
            console.Write(breaches);
        }
        foreach (var error in v.Errors)
        {
            // The message names its check already ("latency_p95_fleet: prometheus at … failed: …").
            output.WriteLine(error.Message.StartsWith(error.Check + ":", StringComparison.Ordinal) ? $"error: {error.Message}" : $"error: {error.Check}: {error.Message}");
        }
        foreach (var note in v.Notes)
        {
            output.WriteLine($"note: {note}");
        }
        if (v.Judge is { } judge)
        {
            output.WriteLine($"judge: {WireName.Of(judge.Classification)} (score {judge.Score.ToString("0.#", CultureInfo.InvariantCulture)}): {judge.Reason}");
        }
    }

    /// <summary>
    /// How a breach's value and threshold are shown: as the metrics table above shows that metric (rates as percentages,
    /// quality to one decimal, cents to two, counts whole), so they agree with the reason beside them; otherwise to 4 decimals.
    /// </summary>
    private static string BreachFormat(CheckDefinition? check) => check switch
    {
        null => "0.####",
        { Aggregate: CheckAggregate.Rate } => "0.0%",
        { Aggregate: CheckAggregate.Count } => "0",
        { Metric: "quality" } => "0.0",
        { Metric: "latency_ms" } => "0.###",
        { Metric: "cost_cents" } => "0.00",
        _ => "0.####",
    };

    private static string Num(double? value, string format) => value is { } d ? d.ToString(format, CultureInfo.InvariantCulture) : "-";
}
