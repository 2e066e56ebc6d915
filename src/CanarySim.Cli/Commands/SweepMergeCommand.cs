using System.CommandLine;
using CanarySim.Harness.Sweeps;
using CanarySim.Reports.Sweeps;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim sweep-merge D1 D2 … --out D [--json]</c>: merges the outputs of the N shards of one sweep into exactly the
/// files the unsharded sweep writes; refuses shards of different sweeps, missing, repeated or partial shards (exit 2).
/// </summary>
internal static class SweepMergeCommand
{
    private const string Help =
        "Merge the output folders of 'canarysim sweep --shard i/N' (all N of them, any order) into one sweep output, byte for " +
        "byte the files the unsharded sweep writes. Refuses, naming every folder and field, shards of different sweeps " +
        "(plan, policy, seeds, requests, injections or canarysim version), a missing or repeated shard, and a partial shard.\n" +
        "Exit codes: 0 = merged; 2 = the folders do not make one whole sweep, or usage.";

    public static Command Create(CliIo io)
    {
        var dirs = new Argument<DirectoryInfo[]>("shards") { Description = "The shard output folders.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder for the merged sweep.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the merged summary as JSON." };
        var command = new Command("sweep-merge", Help) { dirs, output, json };
        command.SetAction(parse =>
        {
            var parts = parse.GetValue(dirs)!.Select(d => SweepFolder.Read(d.FullName)).ToList();
            SweepSummary summary;
            IReadOnlyList<SweepRunRecord> runs;
            try
            {
                (summary, runs) = SweepMerge.Merge(parts);
            }
            catch (SweepMergeException ex)
            {
                io.Err.WriteLine($"error: cannot merge {parts.Count} sweep output{(parts.Count == 1 ? "" : "s")}:");
                foreach (var p in ex.Problems)
                {
                    io.Err.WriteLine("  " + p);
                }
                return CanarySimCli.Usage;
            }
            var outDir = parse.GetValue(output)!.FullName;
            SweepFolder.Write(outDir, summary, runs);
            if (parse.GetValue(json))
            {
                io.Out.Write(SweepJson.Summary(summary));
            }
            else
            {
                io.Out.WriteLine($"{summary.Sweep.Plan}: merged {parts.Count} shards, {summary.RunsCompleted} runs: {SweepText.Verdict(summary)}");
                io.Out.WriteLine($"  wrote {Path.Combine(outDir, "sweep.html")}, sweep.md, sweep.json, runs.jsonl");
            }
            return CanarySimCli.Ok;
        });
        return command;
    }
}
