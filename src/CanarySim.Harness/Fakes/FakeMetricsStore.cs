using CanarySim.Core.Detection;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Fakes;

/// <summary>
/// A metrics source for the outside world, shaped like the planner project's fake metrics store:
/// construct it with the aggregate you want (<c>new FakeMetricsStore(v1Quality: 95, v2Quality: 85, v2Samples: 50)</c>)
/// and it holds that many identical samples per engine, one second apart and ending now — so each
/// aggregate equals the number given exactly (mean quality, every latency percentile, mean cost),
/// which is what "exactly at threshold" rehearsals need. More samples can be <see cref="Add"/>ed.
/// </summary>
public sealed class FakeMetricsStore : IMetricsStore
{
    private readonly Lock _lock = new();
    private readonly List<Sample> _v1 = [];
    private readonly List<Sample> _v2 = [];
    private readonly TimeProvider _time;

    /// <summary>Creates the store with synthetic constant samples.</summary>
    /// <param name="v1Quality">Quality of every v1 sample.</param>
    /// <param name="v2Quality">Quality of every v2 sample.</param>
    /// <param name="v1LatencyMs">Latency of every v1 sample (so v1's p95 equals it).</param>
    /// <param name="v2LatencyMs">Latency of every v2 sample (so v2's p95 equals it).</param>
    /// <param name="v1CostCents">Cost of every v1 sample.</param>
    /// <param name="v2CostCents">Cost of every v2 sample.</param>
    /// <param name="v1Samples">Number of v1 samples.</param>
    /// <param name="v2Samples">Number of v2 samples.</param>
    /// <param name="timeProvider">Clock giving "now" (default: the system clock).</param>
    public FakeMetricsStore(
        double v1Quality = 95.0,
        double v2Quality = 95.0,
        double v1LatencyMs = 800,
        double v2LatencyMs = 800,
        double v1CostCents = 1.0,
        double v2CostCents = 1.0,
        int v1Samples = 100,
        int v2Samples = 50,
        TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(v1Samples);
        ArgumentOutOfRangeException.ThrowIfNegative(v2Samples);
        _time = timeProvider ?? TimeProvider.System;
        var now = _time.GetUtcNow();
        Fill(_v1, Engine.V1, v1Samples, v1Quality, v1LatencyMs, v1CostCents, now);
        Fill(_v2, Engine.V2, v2Samples, v2Quality, v2LatencyMs, v2CostCents, now);
    }

    /// <summary>An empty store (zero samples for both engines).</summary>
    public static FakeMetricsStore Empty(TimeProvider? timeProvider = null) => new(v1Samples: 0, v2Samples: 0, timeProvider: timeProvider);

    /// <summary>Number of samples held for <paramref name="engine"/>.</summary>
    public int Count(Engine engine)
    {
        lock (_lock) { return Of(engine).Count; }
    }

    /// <summary>Removes every sample.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _v1.Clear();
            _v2.Clear();
        }
    }

    /// <summary>
    /// Appends <paramref name="count"/> samples of <paramref name="shape"/> for <paramref name="engine"/>,
    /// spread evenly over (<paramref name="from"/>, <paramref name="to"/>] (the last one at <paramref name="to"/>).
    /// Rates are exact (see <see cref="SampleShape.Hits"/>), counted from <paramref name="firstIndex"/> so
    /// consecutive calls continue one even spread.
    /// </summary>
    public void Fill(Engine engine, int count, SampleShape shape, DateTimeOffset from, DateTimeOffset to, long firstIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "The end must not be before the start.");
        }
        var step = count == 0 ? TimeSpan.Zero : (to - from) / count;
        for (var i = 0; i < count; i++)
        {
            var n = firstIndex + i;
            var metrics = shape.MetricsAt(n);
            var tokens = 0;
            if (metrics is not null && metrics.TryGetValue("tokens", out var t))
            {
                // tokens is a field of every sample, not an application metric
                tokens = (int)t;
                metrics = metrics.Count == 1 ? null : metrics.Where(m => m.Key != "tokens").ToDictionary(StringComparer.Ordinal);
            }
            Add(new Sample
            {
                Engine = engine,
                At = from + step * (i + 1),
                Quality = shape.Quality,
                LatencyMs = shape.LatencyMs,
                CostCents = shape.CostCents,
                Error = SampleShape.Hits(shape.ErrorRate, n),
                Fallback = SampleShape.Hits(shape.FallbackRate, n),
                PolicyViolation = SampleShape.Hits(shape.PolicyViolationRate, n),
                Complaint = SampleShape.Hits(shape.ComplaintRate, n),
                Tokens = tokens,
                Agent = shape.AgentAt(n),
                Metrics = metrics,
            });
        }
    }

    /// <summary>Appends <paramref name="count"/> samples of <paramref name="shape"/>, one second apart, the last one now.</summary>
    public void Fill(Engine engine, int count, SampleShape shape)
    {
        var now = _time.GetUtcNow();
        Fill(engine, count, shape, now - TimeSpan.FromSeconds(count), now);
    }

    /// <inheritdoc />
    public void Add(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (_lock)
        {
            var list = Of(sample.Engine);
            // keep time order even when a caller adds out of order
            var i = list.Count;
            while (i > 0 && list[i - 1].At > sample.At)
            {
                i--;
            }
            list.Insert(i, sample);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Sample> LastRuns(Engine engine, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            var list = Of(engine);
            var skip = Math.Max(0, list.Count - count);
            return list.GetRange(skip, list.Count - skip);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return Of(engine).Where(s => s.At > since && s.At <= now).ToList();
        }
    }

    private List<Sample> Of(Engine engine) => engine == Engine.V1 ? _v1 : _v2;

    private static void Fill(List<Sample> list, Engine engine, int count, double quality, double latency, double cost, DateTimeOffset now)
    {
        for (var i = 0; i < count; i++)
        {
            list.Add(new Sample
            {
                Engine = engine,
                At = now - TimeSpan.FromSeconds(count - 1 - i),
                Quality = quality,
                LatencyMs = latency,
                CostCents = cost,
            });
        }
    }
}
