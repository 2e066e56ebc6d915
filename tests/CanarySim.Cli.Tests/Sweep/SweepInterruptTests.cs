using System.Diagnostics;
using CanarySim.Harness.Sweeps;

namespace CanarySim.Cli.Tests.Sweep;

/// <summary>
/// Ctrl+C on a real <c>canarysim sweep</c> process: SIGINT stops it handing out runs, and it writes a valid summary of
/// the runs that finished, marked partial, and exits 130.
/// </summary>
[NonParallelizable]
public sealed class SweepInterruptTests : TestFolder
{
    [Test]
    public void Ctrl_C_writes_a_valid_partial_summary()
    {
        var plan = Write("plan.yaml", TwoDayPlan("interrupt-plan", "Interrupted sweep"));
        var outDir = Path.Combine(Dir, "out");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // far more runs than can finish before the signal: the sweep is always stopped part-way
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "canarysim.dll"), "sweep", "--plan", plan, "--seeds", "1-1000000", "--requests", "2000", "--workers", "2", "--out", outDir })
        {
            start.ArgumentList.Add(a);
        }
        using var sweep = Process.Start(start)!;
        try
        {
            var first = sweep.StandardError.ReadLine();
            Assert.That(first, Does.StartWith("sweeping interrupt-plan: 1,000,000 runs"), "the sweep announces itself once its runs are planned");
            using (var kill = Process.Start("kill", ["-INT", sweep.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }
            var rest = sweep.StandardError.ReadToEnd();
            Assert.That(sweep.WaitForExit(120_000), Is.True, "the sweep stops after Ctrl+C");
            Assert.That(sweep.ExitCode, Is.EqualTo(130), rest);
            Assert.That(rest, Does.Contain("interrupted: wrote a partial summary"));
        }
        finally
        {
            if (!sweep.HasExited)
            {
                sweep.Kill(entireProcessTree: true);
            }
        }
        var summary = SweepJson.ReadSummary(File.ReadAllText(Path.Combine(outDir, "sweep.json")), "sweep.json");
        var runs = SweepJson.ReadRuns(File.ReadAllText(Path.Combine(outDir, "runs.jsonl")), "runs.jsonl");
        Assert.Multiple(() =>
        {
            Assert.That(summary.Partial, Is.True);
            Assert.That(summary.RunsPlanned, Is.EqualTo(1_000_000));
            Assert.That(summary.RunsCompleted, Is.EqualTo(runs.Count).And.LessThan(1_000_000));
            Assert.That(summary.Healthy.Runs, Is.EqualTo(runs.Count));
            Assert.That(runs.Select(r => r.Seed), Is.Ordered, "the finished runs are written in seed order");
            Assert.That(File.ReadAllText(Path.Combine(outDir, "sweep.md")), Does.Contain("**PARTIAL**"));
            Assert.That(File.ReadAllText(Path.Combine(outDir, "sweep.summary.json")), Does.Contain("\"ok\": false"), "the index shows a partial sweep as not good news");
        });
    }
}
