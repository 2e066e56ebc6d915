using System.Globalization;
using System.Text;
using CanarySim.Harness.Sweeps;

namespace CanarySim.Reports.Sweeps;

/// <summary>Writes a sweep summary as Markdown (<c>sweep.md</c>).</summary>
public static class SweepMarkdownWriter
{
    /// <summary>The summary as Markdown, ending in a newline.</summary>
    public static string Render(SweepSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var s = summary.Sweep;
        var sb = new StringBuilder();
        sb.Append("# Policy power analysis: ").Append(s.Plan).Append('\n').Append('\n');
        if (summary.Partial)
        {
            sb.Append("**PARTIAL**: stopped after ").Append(summary.RunsCompleted).Append(" of ").Append(summary.RunsPlanned)
              .Append(" runs; the numbers count only the runs that finished.\n\n");
        }
        sb.Append("| | |\n|---|---|\n");
        sb.Append("| plan | `").Append(s.PlanFile).Append("` (").Append(s.Plan).Append(", sha256 ").Append(s.PlanSha256[..Math.Min(12, s.PlanSha256.Length)]).Append(") |\n");
        sb.Append("| policy | ").Append(s.Policy).Append(s.PolicySha256 is { } p ? $" (sha256 {p[..Math.Min(12, p.Length)]})" : "").Append(" |\n");
        sb.Append("| seeds | ").Append(s.Seeds).Append(summary.Shard is { } sh ? $" (shard {sh})" : "").Append(" |\n");
        sb.Append(string.Create(CultureInfo.InvariantCulture, $"| runs | {summary.RunsCompleted:N0} of {summary.RunsPlanned:N0}, {s.Requests:N0} requests each |\n"));
        sb.Append("| canarysim | ").Append(s.Version).Append(" (build ").Append(s.Build[..Math.Min(12, s.Build.Length)]).Append(") |\n\n");
        sb.Append("A **false alarm** is a run whose guard rolled back, paused or reduced traffic while nothing was injected; ")
          .Append("**detected** means the guard or the rollout did one of those at or after the injection (*detected by* counts the first ")
          .Append("action of each detected run). Intervals are 95 % Wilson score intervals; times are from the injection to that first action, by nearest rank.\n\n");
        sb.Append("| scenario | runs | false alarms | false-alarm rate (95 % CI) | detected | detection (95 % CI) | detected by | time to detection median / p90 / max | checks that detected it |\n");
        sb.Append("|---|---:|---:|---|---:|---|---|---|---|\n");
        foreach (var x in summary.Scenarios)
        {
            var ttr = x.TimeToDetectionSeconds is { } t ? $"{SweepText.Duration(t.Median)} / {SweepText.Duration(t.P90)} / {SweepText.Duration(t.Max)}" : "—";
            sb.Append("| ").Append(Markdown.Cell(x.Name)).Append(" | ").Append(x.Runs)
              .Append(" | ").Append(x.FalseAlarms).Append(" | ").Append(SweepText.Percent(x.FalseAlarmRate)).Append(" (").Append(SweepText.Interval(x.FalseAlarmCi95)).Append(')')
              .Append(" | ").Append(x.Detected?.ToString(CultureInfo.InvariantCulture) ?? "—")
              .Append(" | ").Append(x.DetectionRate is { } d ? $"{SweepText.Percent(d)} ({SweepText.Interval(x.DetectionCi95)})" : "—")
              .Append(" | ").Append(x.Detected is null ? "—" : SweepText.Checks(x.DetectedBy))
              .Append(" | ").Append(ttr).Append(" | ").Append(SweepText.Checks(x.DetectionChecks)).Append(" |\n");
        }
        sb.Append("\n## False alarms\n\n");
        if (summary.FalseAlarms.Count == 0)
        {
            sb.Append("None.\n");
        }
        else
        {
            sb.Append("| seed | scenario | action | at | checks |\n|---:|---|---|---|---|\n");
            foreach (var a in summary.FalseAlarms)
            {
                sb.Append(string.Create(CultureInfo.InvariantCulture, $"| {a.Seed} | {Markdown.Cell(a.Scenario)} | {a.Action} | {a.At} | {string.Join(", ", a.Checks)} |\n"));
            }
        }
        return sb.ToString();
    }
}
