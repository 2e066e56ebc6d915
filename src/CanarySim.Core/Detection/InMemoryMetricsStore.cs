using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// An <see cref="IWindowedMetricsStore"/> in memory (simulations, the CLI, tests). Samples are kept
/// per engine in time order (a late sample is inserted at its place); every window the detector
/// asks for is then maintained incrementally as samples arrive, so evaluating stays O(log n) per
/// window whatever its size. Keeps at most <see cref="RetainPerEngine"/> samples per engine.
/// Thread-safe.
/// </summary>
public sealed class InMemoryMetricsStore : IWindowedMetricsStore
{
    private readonly Lock _gate = new();
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
        lock (_gate)
        {
            return _engines[(int)engine].Count;
        }
    }

    /// <inheritdoc />
    public void Add(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (SampleRules.Check(sample) is { } problem)
        {
            throw new ArgumentException($"Invalid sample: {problem}", nameof(sample));
        }
        lock (_gate)
        {
            var e = _engines[(int)sample.Engine];
            if (e.Count == 0 || sample.At >= e.Last.At)
            {
                e.Append(sample);
                foreach (var window in e.Windows.Values)
                {
                    window.Add(sample);
                }
            }
            else
            {
                // A late sample: insert in time order and rebuild windows lazily.
                e.InsertSorted(sample);
                e.Windows.Clear();
            }
            if (e.Count > RetainPerEngine)
            {
                e.DropOldest();
            }
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

    /// <inheritdoc />
    public IReadOnlyList<Sample> LastRuns(Engine engine, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
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
        lock (_gate)
        {
            var e = _engines[(int)engine];
            var from = e.FirstAfter(since);
            var to = e.FirstAfter(now);
            return from < to ? e.Slice(from, to - from) : [];
        }
    }

    /// <inheritdoc />
    public WindowAggregates Aggregate(Engine engine, WindowSpec window, DateTimeOffset now)
    {
        lock (_gate)
        {
            var e = _engines[(int)engine];
            if (!e.Windows.TryGetValue(window, out var streaming) || (window.Kind == WindowKind.Time && now < e.WindowClock(window)))
            {
                streaming = new StreamingWindow(window);
                var from = window.Kind == WindowKind.Count ? Math.Max(0, e.Count - window.Runs) : e.FirstAfter(now - window.Duration);
                for (var i = from; i < e.Count; i++)
                {
                    streaming.Add(e[i]);
                }
                e.Windows[window] = streaming;
            }
            e.SetWindowClock(window, now);
            return streaming.Aggregates(now);
        }
    }

    /// <summary>Samples of one engine in time order, with a moving head so dropping the oldest is O(1) amortised.</summary>
    private sealed class EngineSamples
    {
        private readonly List<Sample> _items = [];
        private readonly Dictionary<WindowSpec, DateTimeOffset> _clocks = [];
        private int _head;

        public Dictionary<WindowSpec, StreamingWindow> Windows { get; } = [];

        public int Count => _items.Count - _head;

        public Sample Last => _items[^1];

        public Sample this[int index] => _items[_head + index];

        public void Append(Sample sample) => _items.Add(sample);

        public void InsertSorted(Sample sample) => _items.Insert(_head + FirstAfter(sample.At), sample);

        public void DropOldest()
        {
            _head++;
            if (_head > 1024 && _head > _items.Count / 2)
            {
                _items.RemoveRange(0, _head);
                _head = 0;
            }
        }

        public IReadOnlyList<Sample> Slice(int start, int count) => _items.GetRange(_head + start, count);

        /// <summary>Index of the first sample with At &gt; <paramref name="at"/> (binary search).</summary>
        public int FirstAfter(DateTimeOffset at)
        {
            int lo = 0, hi = Count;
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

        public DateTimeOffset WindowClock(WindowSpec window) => _clocks.TryGetValue(window, out var at) ? at : DateTimeOffset.MinValue;

        public void SetWindowClock(WindowSpec window, DateTimeOffset now) => _clocks[window] = now;
    }
}
