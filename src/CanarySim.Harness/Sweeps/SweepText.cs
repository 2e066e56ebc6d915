using System.Globalization;

namespace CanarySim.Harness.Sweeps;

/// <summary>How sweep numbers read in the Markdown and HTML reports.</summary>
internal static class SweepText
{
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Interval(SweepInterval? ci) => ci is null ? "" :
        $"{(ci.Lower * 100).ToString("0.0", CultureInfo.InvariantCulture)}–{(ci.Upper * 100).ToString("0.0", CultureInfo.InvariantCulture)} %";

    public static string Duration(long seconds) => CanarySim.Core.Rollout.PlanDuration.Format(TimeSpan.FromSeconds(seconds));

    public static string Checks(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "—" : string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} ×{c.Value}")));

    /// <summary>The one line the report index shows.</summary>
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
