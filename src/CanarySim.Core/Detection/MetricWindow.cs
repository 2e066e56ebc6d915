namespace CanarySim.Core.Detection;

/// <summary>
/// One metric's population in one engine's window, maintained incrementally like
/// <see cref="StreamingWindow"/>: adding and evicting cost O(log n) when order is kept (percentiles,
/// min, max) and O(1) otherwise; reading costs O(log n). Results equal
/// <see cref="MetricAggregates.Compute"/> exactly. A run window counts every run of the engine
/// (the filter selects within the last N runs); a time window keeps only the matching runs.
/// Samples must be added in time order. Not thread-safe (the owning store locks).
/// </summary>
public sealed class MetricWindow : IWindowAccumulator
{
    private readonly Queue<Entry> _entries = new();
    private readonly ILatencyIndex? _order;
    private int _runs;
    private int _nonZero;
    private decimal _sum;
    private MetricAggregates.SumOfSquares _squares;
    // The last aggregates read, until a run enters or leaves the window.
    private MetricAggregates? _cached;

    /// <summary>Creates an empty window.</summary>
    public MetricWindow(WindowSpec spec, MetricSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (spec.Kind == WindowKind.Count ? spec.Runs < 1 : spec.Duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec, "A window needs at least 1 run or a positive duration.");
        }
        Spec = spec;
        Selector = selector;
        if (selector.Ordered)
        {
            _order = spec.Kind == WindowKind.Count && spec.Runs <= SortedLatencies.MaxWindow
                ? new SortedLatencies(spec.Runs + 1)
                : new OrderStatisticTree();
        }
    }

    /// <summary>What the window holds.</summary>
    public WindowSpec Spec { get; }

    /// <summary>Which values it keeps.</summary>
    public MetricSelector Selector { get; }

    /// <summary>Adds a sample; a run window evicts its oldest run beyond the run count.</summary>
    public void Add(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var selected = Selector.Select(sample, out var value);
        if (!selected && Spec.Kind == WindowKind.Time)
        {
            return;
        }
        _cached = null;
        _entries.Enqueue(new Entry(sample.At.UtcTicks, value, selected));
        if (selected)
        {
            _runs++;
            _nonZero += value != 0 ? 1 : 0;
            _sum += (decimal)value;
            _squares.Add(value);
            _order?.Add(value);
        }
        if (Spec.Kind == WindowKind.Count && _entries.Count > Spec.Runs)
        {
            EvictOldest();
        }
    }

    /// <summary>Empties the window.</summary>
    public void Clear()
    {
        _cached = null;
        _entries.Clear();
        _order?.Clear();
        _runs = _nonZero = 0;
        _sum = 0;
        _squares = default;
    }

    /// <summary>The population's aggregates at <paramref name="now"/> (a time window first drops runs at or before now − duration).</summary>
    public MetricAggregates Aggregates(DateTimeOffset now)
    {
        if (Spec.Kind == WindowKind.Time)
        {
            var cutoff = (now - Spec.Duration).UtcTicks;
            while (_entries.Count > 0 && _entries.Peek().AtUtcTicks <= cutoff)
            {
                EvictOldest();
            }
        }
        if (_cached is { } cached)
        {
            return cached;
        }
        DateTimeOffset? oldest = null;
        if (_runs > 0)
        {
            foreach (var e in _entries)
            {
                if (e.Selected)
                {
                    oldest = new DateTimeOffset(e.AtUtcTicks, TimeSpan.Zero);
                    break;
                }
            }
        }
        return _cached = MetricAggregates.From(_runs, _nonZero, _sum, _squares, oldest, _order is null ? null : _order.Select);
    }

    private void EvictOldest()
    {
        _cached = null;
        var old = _entries.Dequeue();
        if (old.Selected)
        {
            _runs--;
            _nonZero -= old.Value != 0 ? 1 : 0;
            _sum -= (decimal)old.Value;
            _squares.Remove(old.Value);
            _order?.Remove(old.Value);
        }
    }

    private readonly record struct Entry(long AtUtcTicks, double Value, bool Selected);
}
