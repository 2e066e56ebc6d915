using System.Globalization;
using CanarySim.Harness.Sweeps;

namespace CanarySim.Reports.Sweeps;

/// <summary>How sweep numbers read in the Markdown and HTML reports.</summary>
public static class SweepText
{
    /// <summary>A share as a percentage with one decimal: <c>12.5 %</c>.</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    /// <summary>A 95 % interval as <c>lo–hi %</c>; empty when there is none.</summary>
    public static string Interval(SweepInterval? ci) => ci is null ? "" :
        $"{(ci.Lower * 100).ToString("0.0", CultureInfo.InvariantCulture)}–{(ci.Upper * 100).ToString("0.0", CultureInfo.InvariantCulture)} %";

    /// <summary>Seconds written as a plan duration (<c>2h</c>, <c>3d</c>).</summary>
    public static string Duration(long seconds) => CanarySim.Core.Rollout.PlanDuration.Format(TimeSpan.FromSeconds(seconds));

    /// <summary>Checks with how often each fired (<c>p95 ×3</c>), or a dash.</summary>
    public static string Checks(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "—" : string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} ×{c.Value}")));

    /// <summary>The one line the report index and the CLI show: the false-alarm rate with its interval and the range of detection probabilities.</summary>
    public static string Verdict(SweepSummary s)
    {
        var h = s.Healthy;
        var line = $"false alarms {h.FalseAlarms}/{h.Runs} ({Percent(h.FalseAlarmRate)}, 95 % CI {Interval(h.FalseAlarmCi95)})";
        var injected = s.Scenarios.Where(x => x.Detected is not null).ToList();
        if (injected.Count > 0)
        {
            var lo = injected.MinBy(x => x.DetectionRate)!;
            var (min, max) = (injected.Min(x => x.DetectionRate!.Value), injected.Max(x => x.DetectionRate!.Value));
            line += injected.Count == 1 ? $"; detection {Percent(min)} for {lo.Name}"
                : min == max ? $"; detection {Percent(min)} for each of {injected.Count} injections"
                : $"; detection {Percent(min)} ({lo.Name}) to {Percent(max)} over {injected.Count} injections";
        }
        return (s.Partial ? "PARTIAL: " : "") + line;
    }
}
