using System.Globalization;

namespace CanarySim.Core.Detection;

/// <summary>
/// The readable reasons of declared checks. The built-in names keep their fixed texts
/// (<c>latency (V2 p95: 1850ms &gt; 1600ms)</c>); any other check reads
/// <c>name (V2 aggregate metric: value &gt; max)</c>, or its own <c>reason</c> template.
/// </summary>
internal static class CheckReasons
{
    /// <summary>The numbers behind one reading of a check.</summary>
    internal readonly record struct Reading(double Value, double Threshold, double? V1, double? V2, bool Low, WindowSpec Window, string? Interval = null);

    /// <summary>The reason of a breach or pending breach; <paramref name="tail"/> is the sustain text (", sustained 5m &gt;= 5m").</summary>
    public static string Format(CheckDefinition c, Reading r, string tail)
    {
        if (c.Reason is { } template)
        {
            return Fill(template, c, r) + (tail.Length == 0 ? "" : $" ({tail.TrimStart(',', ' ')})");
        }
        if (r.Interval is { } interval)
        {
            return $"{c.Name} ({interval}{tail})";
        }
        if (BuiltIn(c, r, tail) is { } text)
        {
            return text;
        }
        var op = r.Low ? "<" : ">";
        var where = WhereText(c);
        var agg = WireName.Of(c.Aggregate);
        return c.Compare switch
        {
            CheckCompare.Value => $"{c.Name} ({EngineName(c)} {agg} {c.Metric}{where}: {N(r.Value)} {op} {N(r.Threshold)}{tail})",
            CheckCompare.Ratio => $"{c.Name} (V2 {agg} {c.Metric}{where}: {N(r.Value)} {op} {N(Bound(c, r))}x V1 {N(r.V1 ?? 0)} = {N(r.Threshold)}{tail})",
            _ => $"{c.Name} (V1 {agg} {c.Metric}{where}: {N(r.V1 ?? 0)}, V2: {N(r.V2 ?? 0)}, {WireName.Of(c.Compare)}: {N(r.Value)} {op} {N(r.Threshold)}{tail})",
        };
    }

    /// <summary>The note for a comparing check whose v1 gives nothing to compare with.</summary>
    public static string NoBaseline(CheckDefinition c, bool zero, WindowSpec window) => c.Name switch
    {
        CheckNames.Quality when c.Reason is null => "quality: no v1 samples in the window to compare against",
        CheckNames.CostSpike when c.Reason is null => "cost_spike: no projected cost (set projected_cost_cents or have v1 samples with a cost)",
        CheckNames.Judge => "judge: no v1 samples in the window to compare against",
        _ => zero
            ? $"{c.Name}: insufficient data (V1 {WireName.Of(c.Aggregate)} {c.Metric} is 0 in the {window}: a ratio has no baseline)"
            : $"{c.Name}: insufficient data (no V1 run in the {window}{WhereText(c)} to compare against)",
    };

    /// <summary>The note for a check whose own population is too small or empty.</summary>
    public static string Insufficient(CheckDefinition c, int runs, WindowSpec window, bool engineV1)
    {
        var engine = engineV1 ? "V1" : "V2";
        if (c.MinSamples is { } m && runs < m && runs > 0)
        {
            return $"{c.Name}: insufficient data ({engine}: {runs} < min_samples {m} in the {window}{WhereText(c)})";
        }
        return c.Where.Count > 0
            ? $"{c.Name}: insufficient data (no {engine} run in the {window} matches{WhereText(c).Replace(" where", "", StringComparison.Ordinal)})"
            : $"{c.Name}: insufficient data (no {engine} run in the {window} carries {c.Metric})";
    }

    internal static string WhereText(CheckDefinition c) =>
        c.Where.Count == 0 ? "" : " where " + string.Join(", ", c.Where.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static double Bound(CheckDefinition c, Reading r) => (r.Low ? c.Min : c.Max) ?? 0;

    private static string EngineName(CheckDefinition c) => c.Engine == Routing.Engine.V1 ? "V1" : "V2";

    private static string? BuiltIn(CheckDefinition c, Reading r, string tail)
    {
        if (r.Low)
        {
            return null;
        }
        var agg = WireName.Of(c.Aggregate);
        return (c.Name, c.Metric, c.Compare) switch
        {
            (CheckNames.PolicyViolation, "policy_violation", CheckCompare.Value) when c.Aggregate == CheckAggregate.Count =>
                $"policy_violation (V2: {r.Value:0} violation{(r.Value == 1 ? "" : "s")} in {r.Window}, any is a breach)",
            (CheckNames.Quality, "quality", CheckCompare.Drop) => $"quality (V1: {F1(r.V1 ?? 0)}, V2: {F1(r.V2 ?? 0)}, drop: {F1(r.Value)})",
            (CheckNames.Latency, "latency_ms", CheckCompare.Value) => $"latency (V2 {agg}: {Ms(r.Value)}ms > {Ms(r.Threshold)}ms{tail})",
            (CheckNames.Cost, "cost_cents", CheckCompare.Value) when c.Aggregate == CheckAggregate.Mean => $"cost (V2 mean: {Cents(r.Value)}c > {Cents(r.Threshold)}c per run{tail})",
            (CheckNames.ErrorRate, "error", CheckCompare.Value) when c.Aggregate == CheckAggregate.Rate => $"error_rate (V2: {Pct(r.Value)} > {Pct(r.Threshold)}{tail})",
            (CheckNames.LatencySustained, "latency_ms", CheckCompare.Value) => $"latency_sustained (V2 {agg}: {Ms(r.Value)}ms > {Ms(r.Threshold)}ms{tail})",
            (CheckNames.CostSpike, "cost_cents", CheckCompare.Ratio) when c.Aggregate == CheckAggregate.Mean =>
                $"cost_spike (V2 mean: {Cents(r.Value)}c > {(c.Max ?? 0).ToString("0.##", CultureInfo.InvariantCulture)}x projected {Cents(r.V1 ?? 0)}c = {Cents(r.Threshold)}c{tail})",
            (CheckNames.Complaints, "complaint", CheckCompare.Value) when c.Aggregate == CheckAggregate.Count && r.Window.Kind == WindowKind.Time =>
                $"complaints (V2: {r.Value:0} in {Span(r.Window.Duration)} > {N(r.Threshold)}{tail})",
            (CheckNames.FallbackRate, "fallback", CheckCompare.Value) when c.Aggregate == CheckAggregate.Rate && r.Window.Kind == WindowKind.Count =>
                $"fallback_rate (V2: {Pct(r.Value)} over the last {r.Window.Runs} runs > {Pct(r.Threshold)}{tail})",
            _ => null,
        };
    }

    private static string Fill(string template, CheckDefinition c, Reading r) => template
        .Replace("{name}", c.Name, StringComparison.Ordinal)
        .Replace("{metric}", c.Metric, StringComparison.Ordinal)
        .Replace("{aggregate}", WireName.Of(c.Aggregate), StringComparison.Ordinal)
        .Replace("{value}", N(r.Value), StringComparison.Ordinal)
        .Replace("{threshold}", N(r.Threshold), StringComparison.Ordinal)
        .Replace("{v1}", r.V1 is { } v1 ? N(v1) : "n/a", StringComparison.Ordinal)
        .Replace("{v2}", r.V2 is { } v2 ? N(v2) : "n/a", StringComparison.Ordinal);

    internal static string N(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
    private static string F1(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
    private static string Ms(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    private static string Cents(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
    private static string Pct(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    internal static string Span(TimeSpan span) =>
        span.TotalHours >= 1 && span.Minutes == 0 && span.Seconds == 0 ? $"{span.TotalHours:0.##}h"
        : span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0.##}m"
        : $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
}
