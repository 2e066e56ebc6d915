using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// v1/v2 figures of the current stage in hourly buckets, so exit criteria with a <c>for</c> duration are
/// judged over that period ("error rate &lt; 1 % over 48h") rather than on one 100-run detector window.
/// Percentiles come from <see cref="LatencyHistogram"/>s (within 0.5 %).
/// </summary>
internal sealed class PeriodStats
{
    private readonly List<Bucket> _buckets = [];
    private readonly DateTimeOffset _origin;

    public PeriodStats(DateTimeOffset origin) => _origin = origin;

    private sealed class Bucket
    {
        public long Hour;
        public long V1Runs, V2Runs, Errors, Fallbacks, Violations, Complaints, Compared, Changed, Rollbacks;
        public double V1Quality, V2Quality, V2Cost;
        public readonly LatencyHistogram Latency = new();
    }

    public void Reset()
    {
        _buckets.Clear();
        _version++;
        _latencyCache.Clear();
        _current = null;
    }

    /// <summary>
    /// Per period: the latency histogram of the completed buckets [From, UpTo) inside it, slid forward as
    /// time passes (buckets leaving are subtracted, completed ones added), so a latency criterion costs
    /// one histogram scan per evaluation instead of merging every hour of the period.
    /// </summary>
    private sealed class LatencySpan
    {
        public int From;
        public int UpTo;
        public readonly LatencyHistogram Histogram = new();
    }

    private readonly Dictionary<TimeSpan, LatencySpan> _latencyCache = [];

    private double? LatencyPercentile(int percent, TimeSpan period, long fromHour)
    {
        if (_buckets.Count == 0)
        {
            return null;
        }
        if (!_latencyCache.TryGetValue(period, out var span))
        {
            span = new LatencySpan();
            _latencyCache[period] = span;
        }
        if (span.From > 0 && _buckets[span.From - 1].Hour >= fromHour)
        {
            // The period now reaches back before the span (time went backwards; never in a simulation): rebuild.
            span.Histogram.Clear();
            span.From = span.UpTo = 0;
        }
        var from = span.From;
        while (from < _buckets.Count && _buckets[from].Hour < fromHour)
        {
            from++;
        }
        var upTo = _buckets.Count - 1; // the last bucket is still filling: read it live
        for (var i = span.From; i < Math.Min(from, span.UpTo); i++)
        {
            span.Histogram.Subtract(_buckets[i].Latency);
        }
        for (var i = Math.Max(span.UpTo, from); i < upTo; i++)
        {
            span.Histogram.Merge(_buckets[i].Latency);
        }
        span.From = from;
        span.UpTo = Math.Max(upTo, from);
        var last = _buckets[^1];
        return LatencyHistogram.Percentile(percent, span.Histogram, last.Hour >= fromHour ? last.Latency : null);
    }

    private Bucket At(DateTimeOffset at)
    {
        _version++;
        var ticks = at.UtcTicks;
        if (_current is { } current && ticks >= _currentFrom && ticks < _currentTo)
        {
            return current; // the common case: the same hour as the previous run
        }
        var hour = (long)Math.Floor((at - _origin).TotalHours);
        if (_buckets.Count == 0 || _buckets[^1].Hour != hour)
        {
            _buckets.Add(new Bucket { Hour = hour });
        }
        _current = _buckets[^1];
        _currentFrom = _origin.UtcTicks + hour * TimeSpan.TicksPerHour;
        _currentTo = _currentFrom + TimeSpan.TicksPerHour;
        return _current;
    }

    private Bucket? _current;
    private long _currentFrom;
    private long _currentTo;

    public void AddV1(DateTimeOffset at, double quality)
    {
        var b = At(at);
        b.V1Runs++;
        b.V1Quality += quality;
    }

    public void AddV2(DateTimeOffset at, int latencyBin, double quality, double cost, bool error, bool fallback, bool violation, bool complaint)
    {
        var b = At(at);
        b.V2Runs++;
        b.V2Quality += quality;
        b.V2Cost += cost;
        b.Latency.AddBin(latencyBin);
        b.Errors += error ? 1 : 0;
        b.Fallbacks += fallback ? 1 : 0;
        b.Violations += violation ? 1 : 0;
        b.Complaints += complaint ? 1 : 0;
    }

    public void AddDiff(DateTimeOffset at, bool agentChanged)
    {
        var b = At(at);
        b.Compared++;
        b.Changed += agentChanged ? 1 : 0;
    }

    public void AddRollback(DateTimeOffset at) => At(at).Rollbacks++;

    /// <summary>The metric over the last <paramref name="period"/> before <paramref name="now"/> (null when nothing was measured).</summary>
    public double? Get(string metric, TimeSpan period, DateTimeOffset now)
    {
        var fromHour = (long)Math.Floor((now - period - _origin).TotalHours);
        switch (metric)
        {
            case "p50_latency_ms": return LatencyPercentile(50, period, fromHour);
            case "p95_latency_ms": return LatencyPercentile(95, period, fromHour);
            case "p99_latency_ms": return LatencyPercentile(99, period, fromHour);
        }
        var t = Totals(fromHour);
        return metric switch
        {
            "error_rate" => t.V2 == 0 ? null : (double)t.Errors / t.V2,
            "quality" => t.V2 == 0 ? null : t.Q2 / t.V2,
            "quality_drop" => t.V1 == 0 || t.V2 == 0 ? null : t.Q1 / t.V1 - t.Q2 / t.V2,
            "cost_cents" => t.V2 == 0 ? null : t.Cost / t.V2,
            "fallback_rate" => t.V2 == 0 ? null : (double)t.Fallbacks / t.V2,
            "policy_violations" => t.Violations,
            "complaints" => t.Complaints / Math.Max(1, period.TotalHours),
            "divergence" => t.Compared == 0 ? null : (double)t.Changed / t.Compared,
            "rollbacks" => t.Rollbacks,
            "samples" => t.V2,
            _ => null,
        };
    }

    /// <summary>
    /// The sums of the buckets from <paramref name="fromHour"/> on, newest first (the order fixes the floating-point
    /// sums). Kept until a figure is added, so the criteria of one evaluation over the same period sum the hours once.
    /// </summary>
    private PeriodTotals Totals(long fromHour)
    {
        if (_totals is { } memo && memo.FromHour == fromHour && memo.Version == _version)
        {
            return memo.Totals;
        }
        var t = default(PeriodTotals);
        for (var i = _buckets.Count - 1; i >= 0 && _buckets[i].Hour >= fromHour; i--)
        {
            var b = _buckets[i];
            t.V1 += b.V1Runs; t.V2 += b.V2Runs; t.Errors += b.Errors; t.Fallbacks += b.Fallbacks; t.Violations += b.Violations;
            t.Complaints += b.Complaints; t.Compared += b.Compared; t.Changed += b.Changed; t.Rollbacks += b.Rollbacks;
            t.Q1 += b.V1Quality; t.Q2 += b.V2Quality; t.Cost += b.V2Cost;
        }
        _totals = (fromHour, _version, t);
        return t;
    }

    // Bumped by every figure added, so a memo of sums is never read past a change.
    private long _version;
    private (long FromHour, long Version, PeriodTotals Totals)? _totals;

    private struct PeriodTotals
    {
        public long V1, V2, Errors, Fallbacks, Violations, Complaints, Compared, Changed, Rollbacks;
        public double Q1, Q2, Cost;
    }
}
