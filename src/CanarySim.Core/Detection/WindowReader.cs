using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// One evaluation's reads of the metric store: every (engine, window) and (engine, window, metric)
/// is read once and reused by every check that needs it, so the built-in checks read exactly the
/// windows the fixed detector read. A store that cannot aggregate itself is read through
/// <see cref="IMetricsStore.LastRuns"/> / <see cref="IMetricsStore.Since"/> and computed here.
/// </summary>
internal sealed class WindowReader(IMetricsStore store, DateTimeOffset now)
{
    // A policy reads a handful of windows per evaluation: linear scans over short lists beat hashing the keys.
    private readonly List<(Engine Engine, WindowSpec Spec, bool CountsOnly, WindowAggregates Value)> _windows = [];
    private readonly List<(Engine Engine, WindowSpec Spec, MetricSelector Selector, MetricAggregates Value)> _metrics = [];

    public DateTimeOffset Now { get; private set; } = now;

    /// <summary>Forgets every read, for the next evaluation at <paramref name="now"/> (one reader serves a detector's evaluations in turn).</summary>
    public void Reset(DateTimeOffset now)
    {
        _windows.Clear();
        _metrics.Clear();
        Now = now;
    }

    /// <summary>A window's aggregates; <paramref name="countsOnly"/> when only its counts are read, which a windowed store answers more cheaply.</summary>
    public WindowAggregates Window(Engine engine, WindowSpec window, bool countsOnly)
    {
        WindowAggregates? counts = null;
        foreach (var w in _windows)
        {
            if (w.Engine == engine && w.Spec == window)
            {
                if (!w.CountsOnly)
                {
                    return w.Value; // a full read answers a counts-only question too
                }
                counts = w.Value;
            }
        }
        if (countsOnly && counts is not null)
        {
            return counts;
        }
        var result = store is IWindowedMetricsStore windowed
            ? countsOnly ? windowed.Counts(engine, window, Now) : windowed.Aggregate(engine, window, Now)
            : WindowAggregates.Compute(Samples(engine, window));
        _windows.Add((engine, window, countsOnly, result));
        return result;
    }

    /// <summary>One metric's population in a window.</summary>
    public MetricAggregates Metric(Engine engine, WindowSpec window, MetricSelector selector)
    {
        foreach (var m in _metrics)
        {
            if (m.Engine == engine && m.Spec == window && m.Selector.Equals(selector))
            {
                return m.Value;
            }
        }
        var result = store is IWindowedMetricsStore windowed
            ? windowed.Metric(engine, window, selector, Now)
            : MetricAggregates.Compute(Samples(engine, window), selector);
        _metrics.Add((engine, window, selector, result));
        return result;
    }

    /// <summary>The samples of a window, oldest first.</summary>
    public IReadOnlyList<Sample> Samples(Engine engine, WindowSpec window) =>
        window.Kind == WindowKind.Count
            ? store.LastRuns(engine, window.Runs)
            : store.Since(engine, Now - window.Duration).Where(s => s.At <= Now).ToList();
}
