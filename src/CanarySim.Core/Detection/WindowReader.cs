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
    private readonly Dictionary<(Engine, WindowSpec, bool), WindowAggregates> _windows = [];
    private readonly Dictionary<(Engine, WindowSpec, MetricSelector), MetricAggregates> _metrics = [];

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
        // A full read answers a counts-only question too.
        if (countsOnly && _windows.TryGetValue((engine, window, false), out var full))
        {
            return full;
        }
        var key = (engine, window, countsOnly);
        if (!_windows.TryGetValue(key, out var result))
        {
            result = store is IWindowedMetricsStore windowed
                ? countsOnly ? windowed.Counts(engine, window, Now) : windowed.Aggregate(engine, window, Now)
                : WindowAggregates.Compute(Samples(engine, window));
            _windows[key] = result;
        }
        return result;
    }

    /// <summary>One metric's population in a window.</summary>
    public MetricAggregates Metric(Engine engine, WindowSpec window, MetricSelector selector)
    {
        var key = (engine, window, selector);
        if (!_metrics.TryGetValue(key, out var result))
        {
            result = store is IWindowedMetricsStore windowed
                ? windowed.Metric(engine, window, selector, Now)
                : MetricAggregates.Compute(Samples(engine, window), selector);
            _metrics[key] = result;
        }
        return result;
    }

    /// <summary>The samples of a window, oldest first.</summary>
    public IReadOnlyList<Sample> Samples(Engine engine, WindowSpec window) =>
        window.Kind == WindowKind.Count
            ? store.LastRuns(engine, window.Runs)
            : store.Since(engine, Now - window.Duration).Where(s => s.At <= Now).ToList();
}
