using System.Globalization;
using CanarySim.Core.Judging;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// Judges a comparing check with a <see cref="CheckDefinition.Confidence"/> on the interval of its
/// comparison: a bound is breached only when the whole interval lies beyond it. An interval that
/// reaches the bound passes (the data do not show the regression), with a note when the point estimate
/// alone would have breached. Below the check's <c>min_samples</c> on v2 the check is insufficient;
/// v1 with no run, or fewer than <c>min_samples</c>, has no baseline.
/// </summary>
internal static class IntervalCheck
{
    /// <summary>What an interval check found.</summary>
    internal enum Finding
    {
        /// <summary>v2's population is too small (the note says why).</summary>
        Insufficient,
        /// <summary>v1 gives nothing to compare with (the note says why; <see cref="MissingBaseline"/> decides).</summary>
        NoBaseline,
        /// <summary>The interval does not lie beyond a bound (the note, if any, says the estimate alone would have breached).</summary>
        Pass,
        /// <summary>The interval lies beyond a bound.</summary>
        Breach,
    }

    /// <summary>The finding, its note and, for a breach, the reading.</summary>
    internal readonly record struct Outcome(Finding Finding, string? Note, CheckReasons.Reading? Reading = null);

    public static Outcome Judge(CheckDefinition c, WindowSpec window, WindowReader reader)
    {
        var confidence = c.Confidence ?? throw new ArgumentException("The check has no confidence.", nameof(c));
        var min = c.MinSamples ?? 0;
        var v2 = Read(c, Engine.V2, window, reader);
        if (v2.Runs == 0 || v2.Runs < min)
        {
            return new Outcome(Finding.Insufficient, CheckReasons.Insufficient(c, v2.Runs, window, engineV1: false));
        }
        var v1 = Read(c, Engine.V1, window, reader);
        if (v1.Runs == 0)
        {
            return new Outcome(Finding.NoBaseline, CheckReasons.NoBaseline(c, zero: false, window));
        }
        if (v1.Runs < min)
        {
            return new Outcome(Finding.NoBaseline, CheckReasons.Insufficient(c, v1.Runs, window, engineV1: true));
        }
        var mean = c.Aggregate == CheckAggregate.Mean;
        if (mean && (v1.Variance is null || v2.Variance is null))
        {
            return new Outcome(Finding.Insufficient,
                $"{c.Name}: insufficient data (an interval of means needs 2 runs per engine: V1 {v1.Runs}, V2 {v2.Runs} in the {window})");
        }
        if (mean && c.Compare == CheckCompare.Ratio && !(v1.Mean > 0))
        {
            return new Outcome(Finding.NoBaseline, CheckReasons.NoBaseline(c, zero: true, window));
        }
        var z = Normal.Quantile(confidence);
        var result = (mean, c.Compare) switch
        {
            (false, CheckCompare.Increase) => ComparisonInterval.Difference(v2.NonZero, v2.Runs, v1.NonZero, v1.Runs, z),
            (false, CheckCompare.Drop) => ComparisonInterval.Difference(v1.NonZero, v1.Runs, v2.NonZero, v2.Runs, z),
            (false, _) => ComparisonInterval.Ratio(v2.NonZero, v2.Runs, v1.NonZero, v1.Runs, z),
            (true, CheckCompare.Increase) => ComparisonInterval.MeanDifference(v2, v1, z),
            (true, CheckCompare.Drop) => ComparisonInterval.MeanDifference(v1, v2, z),
            _ => ComparisonInterval.MeanRatio(v2, v1, z),
        };
        double a = mean ? v1.Mean : v1.Rate, b = mean ? v2.Mean : v2.Rate;
        if (result is not { } r)
        {
            return new Outcome(Finding.Pass, null); // a ratio of rates with no event on either side: nothing happened to compare
        }
        var high = c.Max is { } max && r.Lower > max;
        var low = !high && c.Min is { } minimum && r.Upper < minimum;
        var level = Percent(confidence);
        var numbers = $"V1 {WireName.Of(c.Aggregate)} {c.Metric}{CheckReasons.WhereText(c)}: {CheckReasons.N(a)} of {v1.Runs}, V2: {CheckReasons.N(b)} of {v2.Runs}, {WireName.Of(c.Compare)} {CheckReasons.N(r.Estimate)}";
        if (high || low)
        {
            var threshold = high ? c.Max!.Value : c.Min!.Value;
            var value = high ? r.Lower : r.Upper;
            var text = $"{numbers}, {level} {(high ? "lower" : "upper")} bound {CheckReasons.N(value)} {(high ? ">" : "<")} {CheckReasons.N(threshold)}";
            return new Outcome(Finding.Breach, null, new CheckReasons.Reading(value, threshold, a, b, low, window, text));
        }
        var beyond = c.Max is { } mx && r.Estimate > mx ? $"> {CheckReasons.N(mx)}" : c.Min is { } mn && r.Estimate < mn ? $"< {CheckReasons.N(mn)}" : null;
        return new Outcome(Finding.Pass, beyond is null ? null
            : $"{c.Name}: not shown at {level} ({numbers} {beyond}, but the interval {CheckReasons.N(r.Lower)} to {CheckReasons.N(r.Upper)} reaches the bound)");
    }

    /// <summary>The engine's population: counts of a fixed flag from the window, anything else from the metric's window (with its variance).</summary>
    private static ComparisonInterval.Arm Read(CheckDefinition c, Engine engine, WindowSpec window, WindowReader reader)
    {
        if (c.Where.Count == 0 && c.Aggregate == CheckAggregate.Rate && CheckValues.FlagCount(c, engine, window, reader) is { } flag)
        {
            return new ComparisonInterval.Arm(flag.Runs, flag.Count, flag.Runs == 0 ? 0 : (double)flag.Count / flag.Runs, null);
        }
        var m = reader.Metric(engine, window, MetricSelector.Of(c));
        return new ComparisonInterval.Arm(m.Runs, m.NonZero, m.Mean ?? 0, m.Variance);
    }

    private static string Percent(double confidence) => (confidence * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
