using System.Globalization;
using System.Text;
using CanarySim.Core.Reporting;

namespace CanarySim.Reports;

/// <summary>The weekly rollup as the seed's Markdown report.</summary>
public static class WeeklyRollupMarkdown
{
    /// <summary>Renders the rollup as the seed's Markdown report.</summary>
    public static string ToMarkdown(this WeeklyRollupReport r, string title = "Planner Weekly Report")
    {
        ArgumentNullException.ThrowIfNull(r);
        var md = new StringBuilder();
        md.Append("# ").Append(title).Append(" — ").Append(r.Week).Append("\n\n");
        md.Append("**Period:** ").Append(r.Period()).Append("  \n");
        md.Append("**Total Runs:** ").Append(N(r.TotalRuns)).Append("\n\n");
        md.Append("## Traffic Split\n");
        md.Append("- V1 (original): ").Append(N(r.V1Runs)).Append(" runs (").Append(Share(r.V1Runs, r.TotalRuns)).Append(')')
          .Append(r.KillSwitchRuns > 0 ? $", {N(r.KillSwitchRuns)} of them because the kill switch was on" : "").Append('\n');
        md.Append("- V2 (canary): ").Append(N(r.V2Runs)).Append(" runs (").Append(Share(r.V2Runs, r.TotalRuns)).Append(")\n\n");
        md.Append("## Decision Differences\n");
        if (r.Compared == 0)
        {
            md.Append("- No decision diffs recorded in this period (no shadow comparisons).\n\n");
        }
        else
        {
            md.Append("- Agent change rate: ").Append(Share(r.AgentChanges, r.Compared)).Append(" (V1 vs V2 chose different agents, ")
              .Append(N(r.AgentChanges)).Append(" of ").Append(N(r.Compared)).Append(" compared runs)\n");
            md.Append("- Any change (agent, steps, tools, dry_run): ").Append(Share(r.AnyChanges, r.Compared)).Append("\n\n");
        }
        md.Append("### Top Agent Disagreements\n");
        if (r.TopDisagreements.Count == 0)
        {
            md.Append("None.\n\n");
        }
        else
        {
            md.Append("| V1 Agent | V2 Agent | Count |\n|----------|----------|-------|\n");
            foreach (var d in r.TopDisagreements)
            {
                md.Append("| `").Append(d.V1Agent).Append("` | `").Append(d.V2Agent).Append("` | ").Append(N(d.Count)).Append(" |\n");
            }
            md.Append('\n');
        }
        if (r.Rollbacks.Count > 0)
        {
            md.Append("## Rollbacks\n");
            foreach (var (at, reason) in r.Rollbacks)
            {
                md.Append("- ").Append(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC — ").Append(reason).Append('\n');
            }
            md.Append('\n');
        }
        md.Append("## Recommendations\n");
        foreach (var rec in r.Recommendations)
        {
            md.Append("- ").Append(rec).Append('\n');
        }
        md.Append("\n## Actions\n");
        foreach (var a in r.Actions)
        {
            md.Append("- [ ] ").Append(a).Append('\n');
        }
        return md.ToString();
    }

    /// <summary>
    /// The period in words: <c>2025-10-10 to 2025-10-17 (7 days; the last day is 2025-10-16)</c>. The end is exclusive, so
    /// the text names the last day it counts; a period that does not start and end at midnight UTC shows its times.
    /// </summary>
    public static string Period(this WeeklyRollupReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var days = (r.PeriodEnd - r.PeriodStart).TotalDays;
        var length = days.ToString("0.##", CultureInfo.InvariantCulture) + (days == 1 ? " day" : " days");
        return r.PeriodStart.UtcDateTime.TimeOfDay == TimeSpan.Zero && r.PeriodEnd.UtcDateTime.TimeOfDay == TimeSpan.Zero
            ? $"{Day(r.PeriodStart)} to {Day(r.PeriodEnd)} ({length}; the last day is {Day(r.PeriodEnd.AddDays(-1))})"
            : $"{Time(r.PeriodStart)} to {Time(r.PeriodEnd)} UTC ({length}; the end not included)";
    }

    private static string Time(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Share(long part, long whole) => whole == 0 ? "0.0%" : ((double)part / whole).ToString("0.0%", CultureInfo.InvariantCulture);
}
