namespace CanarySim.Core.Detection;

/// <summary>
/// The aggregates of one engine's window. Percentiles use the <b>nearest-rank</b>
/// definition: the p-th percentile of n values is the ⌈p/100 · n⌉-th smallest value (rank at
/// least 1), computed in integer arithmetic so no floating-point error moves the rank; it is
/// always one of the observed values, never an interpolation. Means are summed in
/// <see cref="decimal"/>, so values read from JSON add exactly (an exactly-at-threshold mean
/// stays exactly at it). Means and percentiles are null for an empty window.
/// </summary>
public sealed record WindowAggregates
{
    /// <summary>Runs in the window.</summary>
    public int Count { get; init; }
    /// <summary>Mean quality (0–100).</summary>
    public double? MeanQuality { get; init; }
    /// <summary>Median latency (nearest rank).</summary>
    public double? P50LatencyMs { get; init; }
    /// <summary>95th percentile latency (nearest rank).</summary>
    public double? P95LatencyMs { get; init; }
    /// <summary>99th percentile latency (nearest rank).</summary>
    public double? P99LatencyMs { get; init; }
    /// <summary>Mean cost in cents per run.</summary>
    public double? MeanCostCents { get; init; }
    /// <summary>Errors / runs (0 when empty).</summary>
    public double ErrorRate { get; init; }
    /// <summary>Fallbacks / runs over the window (0 when empty).</summary>
    public double FallbackRate { get; init; }
    /// <summary>Fallbacks / runs over the rolling run window of the fallback check (default last 20 runs); set by the detector.</summary>
    public double? FallbackRateRolling { get; init; }
    /// <summary>Runs with an error.</summary>
    public int Errors { get; init; }
    /// <summary>Runs that fell back to v1.</summary>
    public int Fallbacks { get; init; }
    /// <summary>Runs with a policy or security violation.</summary>
    public int PolicyViolations { get; init; }
    /// <summary>Runs with a user complaint in the window.</summary>
    public int Complaints { get; init; }
    /// <summary>Complaints per hour over the complaints period of the policy (default the last hour); set by the detector.</summary>
    public double? ComplaintsPerHour { get; init; }

    /// <summary>An empty window's aggregates, to be filled by initializers.</summary>
    public WindowAggregates()
    {
    }

    /// <summary>The counts of a non-empty window of <paramref name="n"/> runs and the rates they make.</summary>
    private WindowAggregates(int n, int errors, int fallbacks, int violations, int complaints)
    {
        Count = n;
        ErrorRate = (double)errors / n;
        FallbackRate = (double)fallbacks / n;
        Errors = errors;
        Fallbacks = fallbacks;
        PolicyViolations = violations;
        Complaints = complaints;
    }

    /// <summary>The aggregates of an empty window.</summary>
    public static WindowAggregates Empty { get; } = new();

    /// <summary>The 1-based nearest rank ⌈percent/100 · n⌉ (at least 1) for <paramref name="n"/> &gt; 0 values.</summary>
    public static int NearestRank(int percent, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return (int)Math.Max(1, ((long)percent * n + 99) / 100);
    }

    /// <summary>Aggregates of <paramref name="samples"/> by sorting (the reference the streaming window must equal).</summary>
    public static WindowAggregates Compute(IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var latencies = new List<double>();
        decimal quality = 0, cost = 0;
        int errors = 0, fallbacks = 0, violations = 0, complaints = 0;
        foreach (var s in samples)
        {
            latencies.Add(s.LatencyMs);
            quality += (decimal)s.Quality;
            cost += (decimal)s.CostCents;
            errors += s.Error ? 1 : 0;
            fallbacks += s.Fallback ? 1 : 0;
            violations += s.PolicyViolation ? 1 : 0;
            complaints += s.Complaint ? 1 : 0;
        }
        var n = latencies.Count;
        if (n == 0)
        {
            return Empty;
        }
        latencies.Sort();
        return From(n, quality, cost, errors, fallbacks, violations, complaints, new SortedView(latencies));
    }

    /// <summary>Counts only (a counts-only window): means and percentiles stay null.</summary>
    internal static WindowAggregates FromCounts(int n, int errors, int fallbacks, int violations, int complaints) =>
        n == 0 ? Empty : new WindowAggregates(n, errors, fallbacks, violations, complaints);

    /// <summary>Full aggregates from running sums and an index of the window's latencies by rank.</summary>
    internal static WindowAggregates From(int n, decimal qualitySum, decimal costSum, int errors, int fallbacks, int violations, int complaints, ILatencyIndex latencies) =>
        n == 0
            ? Empty
            : new WindowAggregates(n, errors, fallbacks, violations, complaints)
            {
                MeanQuality = (double)(qualitySum / n),
                P50LatencyMs = latencies.Select(NearestRank(50, n)),
                P95LatencyMs = latencies.Select(NearestRank(95, n)),
                P99LatencyMs = latencies.Select(NearestRank(99, n)),
                MeanCostCents = (double)(costSum / n),
            };

    /// <summary>An already sorted list read by rank (nothing is added or removed).</summary>
    private sealed class SortedView(List<double> sorted) : ILatencyIndex
    {
        public int Count => sorted.Count;

        public double Select(int rank) => sorted[rank - 1];

        public void Add(double value) => throw new NotSupportedException();

        public bool Remove(double value) => throw new NotSupportedException();

        public void Clear() => throw new NotSupportedException();
    }
}
