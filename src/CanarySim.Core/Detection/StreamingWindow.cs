namespace CanarySim.Core.Detection;

/// <summary>
/// One engine's evaluation window maintained incrementally: adding a sample and evicting
/// the oldest cost O(log n) (an ordered latency index for the percentiles, running sums for the rest),
/// and <see cref="Aggregates"/> costs O(log n) — no sort per evaluation, so a 1 000 000-sample
/// window evaluates in microseconds. Results equal <see cref="WindowAggregates.Compute"/> exactly.
/// A run window of up to 4 096 runs keeps its latencies in one sorted array, a larger or time window
/// in an order-statistic tree. A <i>counts-only</i> window keeps neither latencies nor sums: it answers
/// runs, errors, fallbacks, violations and complaints (means and percentiles null), at a few
/// nanoseconds per sample. Samples must be added in time order. Not thread-safe (the owning store locks).
/// </summary>
public sealed class StreamingWindow : IWindowAccumulator
{
    // What eviction needs of each sample, by value: a window never keeps a Sample alive (the garbage
    // collector can free runs as soon as the store lets them go, even behind a long time window).
    private readonly Queue<Entry> _samples = new();
    private readonly ILatencyIndex? _latencies;
    private decimal _quality;
    private decimal _cost;
    private int _errors;
    private int _fallbacks;
    private int _violations;
    private int _complaints;
    // The last aggregates read, until a sample enters or leaves: an evaluation that finds the window as the
    // previous one left it (common for v2 at a small canary percentage) reads them without recomputing.
    private WindowAggregates? _cached;

    /// <summary>Creates an empty window; <paramref name="countsOnly"/> skips latencies and means.</summary>
    public StreamingWindow(WindowSpec spec, bool countsOnly = false)
    {
        if (spec.Kind == WindowKind.Count ? spec.Runs < 1 : spec.Duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec, "A window needs at least 1 run or a positive duration.");
        }
        Spec = spec;
        if (!countsOnly)
        {
            _latencies = spec.Kind == WindowKind.Count && spec.Runs <= SortedLatencies.MaxWindow
                ? new SortedLatencies(spec.Runs + 1)
                : new OrderStatisticTree();
        }
    }

    /// <summary>What the window holds.</summary>
    public WindowSpec Spec { get; }

    /// <summary>True when the window keeps counts only (no percentiles, no means).</summary>
    public bool CountsOnly => _latencies is null;

    /// <summary>Samples currently held.</summary>
    public int Count => _samples.Count;

    /// <summary>Adds a sample; a count window evicts its oldest beyond the run count.</summary>
    public void Add(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        _cached = null;
        var flags = (sample.Error ? Flags.Error : 0) | (sample.Fallback ? Flags.Fallback : 0) | (sample.PolicyViolation ? Flags.Violation : 0) | (sample.Complaint ? Flags.Complaint : 0);
        if (_latencies is not null)
        {
            // Converted once: eviction subtracts the very same decimals.
            var quality = (decimal)sample.Quality;
            var cost = (decimal)sample.CostCents;
            _samples.Enqueue(new Entry(sample.At.UtcTicks, sample.LatencyMs, quality, cost, flags));
            _latencies.Add(sample.LatencyMs);
            _quality += quality;
            _cost += cost;
        }
        else
        {
            _samples.Enqueue(new Entry(sample.At.UtcTicks, 0, 0, 0, flags));
        }
        _errors += sample.Error ? 1 : 0;
        _fallbacks += sample.Fallback ? 1 : 0;
        _violations += sample.PolicyViolation ? 1 : 0;
        _complaints += sample.Complaint ? 1 : 0;
        if (Spec.Kind == WindowKind.Count && _samples.Count > Spec.Runs)
        {
            EvictOldest();
        }
    }

    /// <summary>Empties the window.</summary>
    public void Clear()
    {
        _cached = null;
        _samples.Clear();
        _latencies?.Clear();
        _quality = _cost = 0;
        _errors = _fallbacks = _violations = _complaints = 0;
    }

    /// <summary>The window's aggregates at <paramref name="now"/> (a time window first drops samples at or before now − duration).</summary>
    public WindowAggregates Aggregates(DateTimeOffset now)
    {
        if (Spec.Kind == WindowKind.Time)
        {
            var cutoff = (now - Spec.Duration).UtcTicks;
            while (_samples.Count > 0 && _samples.Peek().AtUtcTicks <= cutoff)
            {
                EvictOldest();
            }
        }
        return _cached ??= _latencies is null
            ? WindowAggregates.FromCounts(_samples.Count, _errors, _fallbacks, _violations, _complaints)
            : WindowAggregates.From(_samples.Count, _quality, _cost, _errors, _fallbacks, _violations, _complaints, _latencies);
    }

    private void EvictOldest()
    {
        _cached = null;
        var old = _samples.Dequeue();
        if (_latencies is not null)
        {
            _latencies.Remove(old.LatencyMs);
            _quality -= old.Quality;
            _cost -= old.CostCents;
        }
        _errors -= (old.Flags & Flags.Error) != 0 ? 1 : 0;
        _fallbacks -= (old.Flags & Flags.Fallback) != 0 ? 1 : 0;
        _violations -= (old.Flags & Flags.Violation) != 0 ? 1 : 0;
        _complaints -= (old.Flags & Flags.Complaint) != 0 ? 1 : 0;
    }

    [Flags]
    private enum Flags : byte
    {
        Error = 1,
        Fallback = 2,
        Violation = 4,
        Complaint = 8,
    }

    private readonly record struct Entry(long AtUtcTicks, double LatencyMs, decimal Quality, decimal CostCents, Flags Flags);
}
