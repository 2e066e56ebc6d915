using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// The value of a declared check's aggregate for one engine: read from the window's ready-made
/// aggregates when the built-in detector already kept it (no tag filter, a fixed field), otherwise
/// from the metric's own streaming window.
/// </summary>
internal static class CheckValues
{
    /// <summary>The aggregate's value (null when the population has none) and the population's size.</summary>
    public static (double? Value, int Runs) Read(CheckDefinition c, Engine engine, WindowSpec window, WindowReader reader)
    {
        if (c.Where.Count == 0 && Fast(c, engine, window, reader) is { } fast)
        {
            return fast;
        }
        var m = reader.Metric(engine, window, MetricSelector.Of(c));
        var emptyIsZero = c.Where.Count == 0 && SampleMetrics.Fixed.Contains(c.Metric);
        if (m.Runs == 0)
        {
            return (c.Aggregate is CheckAggregate.Count or CheckAggregate.Sum or CheckAggregate.PerHour && emptyIsZero ? 0 : null, 0);
        }
        double? value = c.Aggregate switch
        {
            CheckAggregate.Mean => m.Mean,
            CheckAggregate.Min => m.Min,
            CheckAggregate.Max => m.Max,
            CheckAggregate.Sum => m.Sum,
            CheckAggregate.Count => m.NonZero,
            CheckAggregate.Rate => (double)m.NonZero / m.Runs,
            CheckAggregate.PerHour => PerHour(m, window, reader.Now),
            CheckAggregate.P50 => m.P50,
            CheckAggregate.P90 => m.P90,
            CheckAggregate.P95 => m.P95,
            _ => m.P99,
        };
        return (value, m.Runs);
    }

    /// <summary>Count per hour of window: a time window's duration, or for a run window the time since its oldest run.</summary>
    private static double? PerHour(MetricAggregates m, WindowSpec window, DateTimeOffset now)
    {
        var hours = window.Kind == WindowKind.Time ? window.Duration.TotalHours : m.Oldest is { } oldest ? (now - oldest).TotalHours : 0;
        return hours > 0 ? m.NonZero / hours : null;
    }

    /// <summary>The runs that raised a fixed flag (<c>error</c>, <c>fallback</c>, <c>policy_violation</c>, <c>complaint</c>) and the runs, from the window's counts; null for any other metric.</summary>
    public static (int Count, int Runs)? FlagCount(CheckDefinition c, Engine engine, WindowSpec window, WindowReader reader)
    {
        if (c.Metric is not ("error" or "fallback" or "policy_violation" or "complaint"))
        {
            return null;
        }
        var w = reader.Window(engine, window, countsOnly: true);
        var count = c.Metric switch
        {
            "error" => w.Errors,
            "fallback" => w.Fallbacks,
            "policy_violation" => w.PolicyViolations,
            _ => w.Complaints,
        };
        return (count, w.Count);
    }

    private static (double? Value, int Runs)? Fast(CheckDefinition c, Engine engine, WindowSpec window, WindowReader reader)
    {
        if (c.Aggregate is CheckAggregate.Count or CheckAggregate.Rate && FlagCount(c, engine, window, reader) is { } flag)
        {
            return c.Aggregate == CheckAggregate.Count ? (flag.Count, flag.Runs) : (flag.Runs == 0 ? null : (double)flag.Count / flag.Runs, flag.Runs);
        }
        var full = (c.Metric, c.Aggregate) switch
        {
            ("latency_ms", CheckAggregate.P50) or ("latency_ms", CheckAggregate.P95) or ("latency_ms", CheckAggregate.P99)
                or ("quality", CheckAggregate.Mean) or ("cost_cents", CheckAggregate.Mean) => true,
            _ => false,
        };
        if (!full)
        {
            return null;
        }
        var a = reader.Window(engine, window, countsOnly: false);
        double? value = (c.Metric, c.Aggregate) switch
        {
            ("latency_ms", CheckAggregate.P50) => a.P50LatencyMs,
            ("latency_ms", CheckAggregate.P95) => a.P95LatencyMs,
            ("latency_ms", CheckAggregate.P99) => a.P99LatencyMs,
            ("quality", _) => a.MeanQuality,
            _ => a.MeanCostCents,
        };
        return (value, a.Count);
    }
}
