using System.Text.Json;
using CanarySim.Harness.Simulation;
using CanarySim.Harness.Sweeps;
using CanarySim.Reports.Sweeps;
using static CanarySim.Cli.Tests.InProcessCli;

namespace CanarySim.Cli.Tests.Sweep;

/// <summary>
/// <c>canarysim sweep</c> / <c>sweep-merge</c> on a two-day plan with few requests, so each run takes milliseconds:
/// determinism, sharding and merging byte for byte, the numbers, partial summaries and every bad input.
/// </summary>
public sealed class SweepCommandTests : TestFolder
{
    private static readonly string[] Files = ["sweep.json", "runs.jsonl", "sweep.md", "sweep.html", "sweep.summary.json"];
    private const string Range = "v2.latency+100%..+300% step 100% at day 1";

    private string Plan() => Write("plan.yaml", TwoDayPlan("sweep-plan", "Sweep plan"));

    private string[] Sweep(string outDir, params string[] extra) =>
        ["sweep", "--plan", Plan(), "--seeds", "1-7", "--requests", "3000", "--inject", Range, "--out", outDir, .. extra];

    [Test]
    public void Merged_shards_are_byte_identical_to_the_unsharded_sweep()
    {
        var whole = Path.Combine(Dir, "whole");
        var (code, _, err) = Run(Sweep(whole));
        Assert.That(code, Is.Zero, err);
        var shards = new List<string>();
        foreach (var i in new[] { 3, 1, 2 })
        {
            var dir = Path.Combine(Dir, $"shard{i}");
            (code, _, err) = Run(Sweep(dir, "--shard", $"{i}/3", "--workers", "1"));
            Assert.That(code, Is.Zero, err);
            shards.Add(dir);
        }
        Assert.That(File.ReadAllText(Path.Combine(shards[0], "sweep.json")), Does.Contain("\"shard\": \"3/3\""), "a shard says which it is");
        var merged = Path.Combine(Dir, "merged");
        (code, var output, err) = Run(["sweep-merge", .. shards, "--out", merged]);
        Assert.That(code, Is.Zero, err);
        Assert.That(output, Does.Contain("merged 3 shards, 28 runs"));
        foreach (var file in Files)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(merged, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(whole, file))), file);
        }
    }

    [Test]
    public void The_same_sweep_writes_the_same_bytes_with_one_or_two_workers()
    {
        var one = Path.Combine(Dir, "one");
        var two = Path.Combine(Dir, "two");
        Assert.That(Run(Sweep(one, "--workers", "1")).Code, Is.Zero);
        Assert.That(Run(Sweep(two, "--workers", "2")).Code, Is.Zero);
        foreach (var file in Files)
        {
            Assert.That(File.ReadAllText(Path.Combine(two, file)), Is.EqualTo(File.ReadAllText(Path.Combine(one, file))), file);
        }
        var seeds = File.ReadAllLines(Path.Combine(one, "runs.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("seed").GetInt32()).ToList();
        Assert.That(seeds, Is.Ordered, "runs are written in seed order");
        Assert.That(seeds, Has.Count.EqualTo(7 * 4));
    }

    [Test]
    public void Counts_false_alarms_and_detections_with_intervals_and_the_checks_that_rolled_back()
    {
        var outDir = Path.Combine(Dir, "out");
        var (code, output, err) = Run(Sweep(outDir, "--json"));
        Assert.That(code, Is.Zero, err);
        var summary = SweepJson.ReadSummary(output, "stdout");
        Assert.That(File.ReadAllText(Path.Combine(outDir, "sweep.json")), Is.EqualTo(output), "--json prints what sweep.json holds");
        var healthy = summary.Healthy;
        var big = summary.Scenarios.Single(s => s.Name == "v2.latency+300% at day 1");
        Assert.Multiple(() =>
        {
            Assert.That(summary.Scenarios.Select(s => s.Name), Is.EqualTo(new[] { "healthy", "v2.latency+100% at day 1", "v2.latency+200% at day 1", "v2.latency+300% at day 1" }));
            Assert.That(summary.Partial, Is.False);
            Assert.That(healthy.Runs, Is.EqualTo(7));
            Assert.That(healthy.FalseAlarms, Is.Zero, "a healthy v2 well under every threshold never rolls back");
            Assert.That(healthy.FalseAlarmCi95.Upper, Is.EqualTo(WilsonInterval.Of(0, 7).Upper), "0 of 7: the Wilson upper bound");
            Assert.That(healthy.Detected, Is.Null, "nothing to detect in a healthy run");
            Assert.That(big.Detected, Is.EqualTo(7), "v2 four times slower is caught in every run");
            Assert.That(big.DetectionRate, Is.EqualTo(1));
            Assert.That(big.DetectionCi95!.Lower, Is.EqualTo(WilsonInterval.Of(7, 7).Lower));
            Assert.That(big.DetectionChecks.Keys, Does.Contain("latency"));
            Assert.That(big.TimeToDetectionSeconds!.Count, Is.EqualTo(7));
            Assert.That(big.TimeToDetectionSeconds.Median, Is.GreaterThan(0).And.LessThanOrEqualTo(big.TimeToDetectionSeconds.P90));
            Assert.That(big.TimeToDetectionSeconds.P90, Is.LessThanOrEqualTo(big.TimeToDetectionSeconds.Max));
            Assert.That(summary.Scenarios.Where(s => s.Detected is not null).Select(s => s.DetectionRate!.Value), Is.Ordered, "larger regressions are caught at least as often (same seeds)");
        });
        var html = File.ReadAllText(Path.Combine(outDir, "sweep.html"));
        Assert.That(html, Does.Contain("<svg class=\"power\"").And.Contain("<polygon class=\"band\"").And.Contain("Time from injection to detection"));
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://").And.Not.Contain("<script"), "offline: nothing to fetch");
        var md = File.ReadAllText(Path.Combine(outDir, "sweep.md"));
        Assert.That(md, Does.Contain("| v2.latency+300% at day 1 | 7 | 0 | 0.0 % (0.0–35.4 %) | 7 | 100.0 % (64.6–100.0 %) |"));
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "sweep.summary.json")));
        Assert.That(index.RootElement.GetProperty("area").GetString(), Is.EqualTo("sweep"));
        Assert.That(index.RootElement.GetProperty("href").GetString(), Is.EqualTo("sweep.html"));
    }

    [Test]
    public void A_false_alarm_names_the_run_and_the_check_that_raised_it()
    {
        // a latency limit below the healthy p95: every healthy run is rolled back by the latency check
        var policy = Write("strict.json", """{ "latency_p95_max_ms": 900 }""");
        var outDir = Path.Combine(Dir, "strict");
        var (code, _, err) = Run("sweep", "--plan", Plan(), "--seeds", "1-3", "--requests", "3000", "--policy", policy, "--out", outDir);
        Assert.That(code, Is.Zero, err);
        var summary = SweepJson.ReadSummary(File.ReadAllText(Path.Combine(outDir, "sweep.json")), "sweep.json");
        Assert.Multiple(() =>
        {
            Assert.That(summary.Sweep.Policy, Is.EqualTo("strict.json"));
            Assert.That(summary.Sweep.PolicySha256, Has.Length.EqualTo(64));
            Assert.That(summary.Healthy.FalseAlarms, Is.EqualTo(3));
            Assert.That(summary.Healthy.FalseAlarmChecks, Is.EqualTo(new Dictionary<string, int> { ["latency"] = 3 }));
            Assert.That(summary.FalseAlarms.Select(a => (a.Seed, a.Action, string.Join(",", a.Checks))), Is.EqualTo(new[] { (1, "rollback", "latency"), (2, "rollback", "latency"), (3, "rollback", "latency") }));
        });
        Assert.That(File.ReadAllText(Path.Combine(outDir, "sweep.md")), Does.Contain("| 2 | healthy | rollback |"));
    }

    [Test]
    public void A_stopped_sweep_writes_a_valid_partial_summary_that_merge_refuses()
    {
        var plan = PlanFile.Load(Plan()).Plan;
        var seeds = SeedRange.Parse("1-50");
        using var stop = new CancellationTokenSource();
        var runner = new SweepRunner(plan, new SweepSettings { Seeds = seeds, Scenarios = [SweepScenario.Healthy], Requests = 2000, Workers = 1 });
        var outcome = runner.Run(p =>
        {
            if (p.Done == 3)
            {
                stop.Cancel(); // what Ctrl+C does
            }
        }, stop.Token);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Partial, Is.True);
            Assert.That(outcome.Runs.Select(r => r.Seed), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(outcome.Planned, Is.EqualTo(50));
        });
        var identity = new SweepIdentity(plan.Name, "plan.yaml", new string('0', 64), SweepIdentity.PlanTriggers, null, seeds.ToString(), 2000, [SweepScenarioInfo.Of(SweepScenario.Healthy)], null, SweepIdentity.CurrentVersion, SweepIdentity.CurrentBuild);
        var summary = SweepSummary.Build(identity, SweepShard.Parse("1/2"), outcome.Runs, outcome.Planned, outcome.Partial);
        var json = SweepJson.Summary(summary);
        var back = SweepJson.ReadSummary(json, "partial");
        Assert.That(back.Partial, Is.True);
        Assert.That(back.RunsCompleted, Is.EqualTo(3));
        Assert.That(SweepMarkdownWriter.Render(summary), Does.Contain("**PARTIAL**: stopped after 3 of 50 runs"));
        Assert.That(SweepHtmlWriter.Render(summary), Does.Contain("id=\"partial\""));
        var ex = Assert.Throws<SweepMergeException>(() => SweepMerge.Merge([new SweepPart("a", summary, outcome.Runs)]));
        Assert.That(ex!.Problems, Has.Some.Contain("shard 1/2 is partial (3 of 50 runs").And.Some.Contain("missing shard 2/2"));
    }

    [TestCase("--seeds", "9-3", "--seeds: seed range '9-3': the last seed 3 is below the first 9")]
    [TestCase("--seeds", "one-two", "--seeds: seed range 'one-two': expected A-B")]
    [TestCase("--shard", "0/4", "--shard: shard '0/4': the shard index i must be between 1 and 4")]
    [TestCase("--shard", "5/4", "--shard: shard '5/4': the shard index i must be between 1 and 4")]
    [TestCase("--shard", "1/0", "--shard: shard '1/0': the shard count N must be at least 1")]
    [TestCase("--shard", "9/9", "leave shard 9/9 nothing to run")]
    [TestCase("--inject", "v2.latency+10%..+80% step 0% at day 1", "--inject: injection range 'v2.latency+10%..+80% step 0% at day 1': the step must not be zero")]
    [TestCase("--inject", "v2.latency+10%..+80% step -10% at day 1", "the step -10% goes away from +80%: use a positive step")]
    [TestCase("--inject", "v2.latency+10%..+30% step 10% at day 9", "--inject: injection 'v2.latency+10% at day 9' starts 9d after the plan's start, but the plan simulates 2d")]
    [TestCase("--requests", "0", "--requests: expected at least 1")]
    [TestCase("--workers", "0", "--workers: expected 1 to 1024")]
    public void Bad_input_exits_2_naming_what_is_wrong(string option, string value, string message)
    {
        var args = new List<string> { "sweep", "--plan", Plan(), "--seeds", "1-4", "--requests", "1000", "--out", Path.Combine(Dir, "bad") };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }
        var (code, _, err) = Run([.. args]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain(message));
        Assert.That(Directory.Exists(Path.Combine(Dir, "bad")), Is.False, "nothing is written for bad input");
    }

    [Test]
    public void Merge_refuses_shards_of_different_sweeps_and_missing_or_repeated_shards()
    {
        string Shard(string name, string seeds, string shard, string requests = "1000")
        {
            var dir = Path.Combine(Dir, name);
            var (code, _, err) = Run("sweep", "--plan", Plan(), "--seeds", seeds, "--requests", requests, "--shard", shard, "--out", dir);
            Assert.That(code, Is.Zero, err);
            return dir;
        }
        var a1 = Shard("a1", "1-4", "1/2");
        var a2 = Shard("a2", "1-4", "2/2");
        var b2 = Shard("b2", "1-5", "2/2");
        var c2 = Shard("c2", "1-4", "2/2", requests: "1200");
        var out1 = Path.Combine(Dir, "m1");
        var (code, _, err) = Run("sweep-merge", a1, b2, "--out", out1);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("a different sweep").And.Contain("seeds: '1-4' vs '1-5'"));
        (code, _, err) = Run("sweep-merge", a1, c2, "--out", out1);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("requests per run: '1000' vs '1200'"));
        (code, _, err) = Run("sweep-merge", a1, "--out", out1);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("missing shard 2/2"));
        (code, _, err) = Run("sweep-merge", a1, a2, a2, "--out", out1);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("shard 2/2 given more than once"));
        (code, _, err) = Run("sweep-merge", a1, Path.Combine(Dir, "nowhere"), "--out", out1);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("does not exist"));
        Assert.That(Directory.Exists(out1), Is.False, "merging never writes a summary from mismatched shards");
        (code, _, err) = Run("sweep-merge", a2, a1, "--out", out1);
        Assert.That(code, Is.Zero, err);
    }

    [Test]
    public void Merge_refuses_shards_run_by_another_build_or_over_a_changed_file_the_plan_reads()
    {
        // the plan reads its policy from a file beside it: the plan file's own bytes do not change when the policy does
        var planPath = Write("reads-policy.yaml", TwoDayPlan("sweep-plan", "Sweep plan") + "\npolicy: limits.json\n");
        var policy = Write("limits.json", """{ "latency_p95_max_ms": 3000 }""");
        string Shard(string name, string shard)
        {
            var dir = Path.Combine(Dir, name);
            var (code, _, err) = Run("sweep", "--plan", planPath, "--seeds", "1-4", "--requests", "1000", "--shard", shard, "--out", dir);
            Assert.That(code, Is.Zero, err);
            return dir;
        }
        var a1 = Shard("a1", "1/2");
        var a2 = Shard("a2", "2/2");
        var summary = File.ReadAllText(Path.Combine(a1, "sweep.json"));
        Assert.That(summary, Does.Contain($"\"build\": \"{SweepIdentity.CurrentBuild}\"").And.Contain("\"plan_files_sha256\": \""));

        File.WriteAllText(policy, """{ "latency_p95_max_ms": 3100 }""");
        var b2 = Shard("b2", "2/2");
        var out1 = Path.Combine(Dir, "m1");
        var (code, _, err) = Run("sweep-merge", a1, b2, "--out", out1);
        Assert.That(code, Is.EqualTo(2), "same plan bytes, but the policy it reads changed between the shards");
        Assert.That(err, Does.Contain("files the plan reads (sha256)"));

        // a shard of the same version run by other binaries (here: its recorded build replaced)
        var c2 = Path.Combine(Dir, "c2");
        Directory.CreateDirectory(c2);
        foreach (var file in Directory.GetFiles(a2))
        {
            File.Copy(file, Path.Combine(c2, Path.GetFileName(file)));
        }
        var other = new string('e', 64);
        File.WriteAllText(Path.Combine(c2, "sweep.json"), File.ReadAllText(Path.Combine(a2, "sweep.json")).Replace(SweepIdentity.CurrentBuild, other, StringComparison.Ordinal));
        (code, _, err) = Run("sweep-merge", a1, c2, "--out", out1);
        Assert.That(code, Is.EqualTo(2), "the same version number is not enough");
        Assert.That(err, Does.Contain($"canarysim build: {SweepIdentity.CurrentBuild[..12]} vs eeeeeeeeeeee"));
        Assert.That(err, Does.Not.Contain("canarysim version"), "only the build differs");
        Assert.That(Directory.Exists(out1), Is.False, "merging never writes a summary from mismatched shards");

        (code, _, err) = Run("sweep-merge", a1, a2, "--out", out1);
        Assert.That(code, Is.Zero, err);
    }

    [Test]
    public void A_pause_or_traffic_reduction_after_the_injection_counts_as_a_detection()
    {
        // the latency check pauses instead of rolling back: the guard acting on the regression is a detection, as it is
        // a false alarm before the injection
        var policy = Write("pause.json", """
            {"schema": "canarysim.policy/v2", "name": "pause-on-latency", "window": {"runs": 100}, "min_samples": 30,
             "checks": [{"name": "slow", "metric": "latency_ms", "aggregate": "p95", "max": 3000, "action": "pause"}]}
            """);
        var outDir = Path.Combine(Dir, "pause");
        var (code, output, err) = Run("sweep", "--plan", Plan(), "--seeds", "1-4", "--requests", "3000", "--policy", policy,
            "--inject", "v2.latency+300% at day 1", "--out", outDir, "--json");
        Assert.That(code, Is.Zero, err);
        var summary = SweepJson.ReadSummary(output, "stdout");
        var injected = summary.Scenarios.Single(s => s.Name == "v2.latency+300% at day 1");
        var runs = File.ReadAllLines(Path.Combine(outDir, "runs.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("scenario").GetString() != "healthy").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(summary.Healthy.FalseAlarms, Is.Zero);
            Assert.That(injected.Detected, Is.EqualTo(4), "every run paused after the injection");
            Assert.That(injected.DetectedBy, Is.EqualTo(new Dictionary<string, int> { ["pause"] = 4 }));
            Assert.That(injected.DetectionChecks, Is.EqualTo(new Dictionary<string, int> { ["slow"] = 4 }));
            Assert.That(injected.TimeToDetectionSeconds!.Count, Is.EqualTo(4));
            Assert.That(runs.Select(r => r.GetProperty("detected_by").GetString()), Is.All.EqualTo("pause"));
            Assert.That(runs.Select(r => r.GetProperty("outcome").GetString()), Is.All.Not.EqualTo("rolled_back"), "a pause is not a rollback: it is caught all the same");
        });
        Assert.That(File.ReadAllText(Path.Combine(outDir, "sweep.md")), Does.Contain("| pause ×4 |"));
    }
}
