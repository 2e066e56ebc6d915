using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// An <see cref="IWindowedMetricsStore"/> in memory (simulations, the CLI, tests). Samples are kept
/// per engine in time order (a late sample is inserted at its place). Adding a sample only appends
/// it: every window the detector has asked for is brought up to date when it is next read, from the
/// samples that arrived since (a run window that received at least its run count since is refilled
/// with just its last runs). Evaluating therefore costs O(new samples · log n) whatever the window's
/// size, and recording costs the same with or without windows. Keeps at most
/// <see cref="RetainPerEngine"/> samples per engine; a window is brought up to date before a sample
/// it has not seen is dropped, so retention never shortens a window. Thread-safe.
/// </summary>
public sealed class InMemoryMetricsStore : IWindowedMetricsStore
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly EngineSamples[] _engines = [new(), new()];

    /// <summary>Creates a store; <paramref name="time"/> gives "now" for <see cref="Since"/> (default the system clock).</summary>
    public InMemoryMetricsStore(TimeProvider? time = null, int retainPerEngine = 2_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retainPerEngine);
        _time = time ?? TimeProvider.System;
        RetainPerEngine = retainPerEngine;
    }

    /// <summary>Most samples kept per engine (oldest dropped first). The default value is 2 000 000.</summary>
    public int RetainPerEngine { get; }

    /// <summary>Samples held for <paramref name="engine"/>.</summary>
    public int Count(Engine engine)
    {
        lock (_lock)
        {
            return _engines[(int)engine].Count;
        }
    }

    /// <inheritdoc />
    public void Add(Sample sample)
    {
        Validate(sample);
        lock (_lock)
        {
            Append(sample);
        }
    }

    /// <summary>Adds many samples.</summary>
    public void AddRange(IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        foreach (var sample in samples)
        {
            Add(sample);
        }
    }

    /// <summary>Adds many samples under one lock (all are checked first: an invalid one adds none).</summary>
    public void AddRange(ReadOnlySpan<Sample> samples)
    {
        foreach (var sample in samples)
        {
            Validate(sample);
        }
        lock (_lock)
        {
            foreach (var sample in samples)
            {
                Append(sample);
            }
        }
    }

    private static void Validate(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (SampleRules.Check(sample) is { } problem)
        {
            throw new ArgumentException($"Invalid sample: {problem}", nameof(sample));
        }
    }

    private void Append(Sample sample)
    {
        var e = _engines[(int)sample.Engine];
        if (e.Count == 0 || sample.At >= e.Last.At)
        {
            e.Append(sample);
        }
        else
        {
            // A late sample: insert in time order; sequence numbers shift, so windows rebuild on next read.
            e.InsertSorted(sample);
            e.Windows.Clear();
        }
        if (e.Count > RetainPerEngine)
        {
            e.DropOldest();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Sample> LastRuns(Engine engine, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            var e = _engines[(int)engine];
            var take = Math.Min(count, e.Count);
            return e.Slice(e.Count - take, take);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var e = _engines[(int)engine];
            var from = e.FirstAfter(since);
            var to = e.FirstAfter(now);
            return from < to ? e.Slice(from, to - from) : [];
        }
    }

    /// <inheritdoc />
    public WindowAggregates Aggregate(Engine engine, WindowSpec window, DateTimeOffset now) =>
        Read(engine, window, now, FullKind, static (w, t) => ((StreamingWindow)w).Aggregates(t), static w => new StreamingWindow(w, countsOnly: false));

    /// <inheritdoc />
    public WindowAggregates Counts(Engine engine, WindowSpec window, DateTimeOffset now) =>
        Read(engine, window, now, CountsKind, static (w, t) => ((StreamingWindow)w).Aggregates(t), static w => new StreamingWindow(w, countsOnly: true));

    /// <inheritdoc />
    public MetricAggregates Metric(Engine engine, WindowSpec window, MetricSelector selector, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return Read(engine, window, now, selector, static (w, t) => ((MetricWindow)w).Aggregates(t), w => new MetricWindow(w, selector));
    }

    private const string FullKind = "full";
    private const string CountsKind = "counts";

    private T Read<T>(Engine engine, WindowSpec window, DateTimeOffset now, object kind, Func<IWindowAccumulator, DateTimeOffset, T> read, Func<WindowSpec, IWindowAccumulator> create)
    {
        lock (_lock)
        {
            var e = _engines[(int)engine];
            var tracked = e.Find(window, kind);
            // A time window takes samples up to now; a run window the last runs recorded.
            var end = window.Kind == WindowKind.Time ? e.StartSeq + e.FirstAfterNow(now) : e.EndSeq;
            // The sequence number of the window's first sample; long.MinValue when it was dropped already
            // (a time window reaching past the oldest sample kept), so nothing is known to have left the window.
            long first;
            if (window.Kind == WindowKind.Count)
            {
                first = e.EndSeq - window.Runs;
            }
            else
            {
                // The cut-off only moves forward between reads of the same window, so the search starts where the last one ended.
                var hint = tracked is not null && now >= tracked.Clock ? tracked.FirstHint : long.MinValue;
                var index = e.FirstAfter(now - window.Duration, hint);
                first = index == 0 && e.StartSeq > 0 ? long.MinValue : e.StartSeq + index;
            }
            if (tracked is null || (window.Kind == WindowKind.Time && now < tracked.Clock) || tracked.NextSeq < e.StartSeq)
            {
                var fresh = new TrackedWindow(window, kind, create(window)) { NextSeq = Math.Max(first, e.StartSeq) };
                e.Track(fresh, replacing: tracked);
                tracked = fresh;
            }
            else if (first >= tracked.NextSeq)
            {
                // Everything the window holds has left it: start afresh from the window's first sample.
                tracked.Window.Clear();
                tracked.NextSeq = first;
            }
            e.CatchUp(tracked, end);
            tracked.Clock = now;
            tracked.FirstHint = first == long.MinValue ? long.MinValue : first;
            return read(tracked.Window, now);
        }
    }

    /// <summary>A window and the sequence number of the first sample it has not seen.</summary>
    private sealed class TrackedWindow(WindowSpec spec, object kind, IWindowAccumulator window)
    {
        public WindowSpec Spec { get; } = spec;
        public object Kind { get; } = kind;
        public IWindowAccumulator Window { get; } = window;
        public long NextSeq { get; set; }
        public DateTimeOffset Clock { get; set; } = DateTimeOffset.MinValue;

        /// <summary>A time window's first sequence number at its last read (long.MinValue when unknown): where the next search starts.</summary>
        public long FirstHint { get; set; } = long.MinValue;
    }

    /// <summary>
    /// Samples of one engine in time order, with a moving head so dropping the oldest is O(1) amortised.
    /// Each sample has a sequence number (its position counted from the first ever added) so windows can
    /// remember where they stopped.
    /// </summary>
    private sealed class EngineSamples
    {
        private readonly List<Sample> _items = [];
        private int _head;
        private long _dropped;

        // The windows read so far: a handful per engine, so a linear scan beats hashing the key.
        public List<TrackedWindow> Windows { get; } = [];

        public TrackedWindow? Find(WindowSpec spec, object kind)
        {
            foreach (var w in Windows)
            {
                if (w.Spec == spec && (ReferenceEquals(w.Kind, kind) || w.Kind.Equals(kind)))
                {
                    return w;
                }
            }
            return null;
        }

        public void Track(TrackedWindow window, TrackedWindow? replacing)
        {
            if (replacing is not null)
            {
                Windows[Windows.IndexOf(replacing)] = window;
            }
            else
            {
                Windows.Add(window);
            }
        }

        public int Count => _items.Count - _head;

        /// <summary>Sequence number of the oldest sample held.</summary>
        public long StartSeq => _dropped;

        /// <summary>Sequence number the next sample will get.</summary>
        public long EndSeq => _dropped + Count;

        public Sample Last => _items[^1];

        public Sample this[int index] => _items[_head + index];

        public void Append(Sample sample) => _items.Add(sample);

        public void InsertSorted(Sample sample) => _items.Insert(_head + FirstAfter(sample.At), sample);

        /// <summary>Feeds <paramref name="window"/> the samples from its next sequence number up to <paramref name="end"/> (exclusive).</summary>
        public void CatchUp(TrackedWindow window, long end)
        {
            var w = window.Window;
            for (var seq = window.NextSeq; seq < end; seq++)
            {
                w.Add(_items[_head + (int)(seq - _dropped)]);
            }
            window.NextSeq = Math.Max(window.NextSeq, end);
        }

        public void DropOldest()
        {
            foreach (var window in Windows)
            {
                if (window.NextSeq <= _dropped)
                {
                    CatchUp(window, EndSeq); // the window has not seen the sample about to go
                }
            }
            _head++;
            _dropped++;
            if (_head > 1024 && _head > _items.Count / 2)
            {
                _items.RemoveRange(0, _head);
                _head = 0;
            }
        }

        public IReadOnlyList<Sample> Slice(int start, int count) => _items.GetRange(_head + start, count);

        /// <summary>Index of the first sample with At &gt; <paramref name="now"/>: all of them, at once, when the newest is not after now.</summary>
        public int FirstAfterNow(DateTimeOffset now) => Count == 0 || Last.At <= now ? Count : FirstAfter(now);

        /// <summary>
        /// Index of the first sample with At &gt; <paramref name="at"/>, knowing no sample before sequence number
        /// <paramref name="hint"/> is (long.MinValue: nothing known): gallops forward from the hint, then bisects.
        /// </summary>
        public int FirstAfter(DateTimeOffset at, long hint)
        {
            if (hint == long.MinValue || hint < _dropped)
            {
                return FirstAfter(at);
            }
            var lo = (int)Math.Min(hint - _dropped, Count);
            var step = 1;
            var hi = lo;
            while (hi < Count && this[hi].At <= at)
            {
                lo = hi + 1;
                hi = Math.Min(Count, hi + step);
                step *= 2;
            }
            return Bisect(at, lo, hi);
        }

        /// <summary>Index of the first sample with At &gt; <paramref name="at"/> (binary search).</summary>
        public int FirstAfter(DateTimeOffset at) => Bisect(at, 0, Count);

        private int Bisect(DateTimeOffset at, int lo, int hi)
        {
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (this[mid].At <= at)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
