namespace CanarySim.Core.Detection;

/// <summary>
/// The aggregates of one metric over one engine's window, after a tag filter (a declared check's
/// population). <see cref="Runs"/> counts the runs in the population; sums are exact in
/// <see cref="decimal"/>; percentiles are nearest rank. Order statistics are null unless the
/// selector kept order, and every statistic but the counts is null for an empty population.
/// </summary>
public sealed record MetricAggregates
{
    /// <summary>Runs in the population.</summary>
    public int Runs { get; init; }
    /// <summary>Runs whose value is non-zero.</summary>
    public int NonZero { get; init; }
    /// <summary>Sum of the values.</summary>
    public double Sum { get; init; }
    /// <summary>Mean of the values.</summary>
    public double? Mean { get; init; }
    /// <summary>Smallest value.</summary>
    public double? Min { get; init; }
    /// <summary>Largest value.</summary>
    public double? Max { get; init; }
    /// <summary>Median (nearest rank).</summary>
    public double? P50 { get; init; }
    /// <summary>90th percentile (nearest rank).</summary>
    public double? P90 { get; init; }
    /// <summary>95th percentile (nearest rank).</summary>
    public double? P95 { get; init; }
    /// <summary>99th percentile (nearest rank).</summary>
    public double? P99 { get; init; }
    /// <summary>When the oldest run of the population happened.</summary>
    public DateTimeOffset? Oldest { get; init; }

    /// <summary>An empty population.</summary>
    public static MetricAggregates Empty { get; } = new();

    /// <summary>The reference computation by sorting (what the streaming window must equal).</summary>
    public static MetricAggregates Compute(IEnumerable<Sample> samples, MetricSelector selector)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(selector);
        var values = new List<double>();
        decimal sum = 0;
        var nonZero = 0;
        DateTimeOffset? oldest = null;
        foreach (var s in samples)
        {
            if (selector.Select(s, out var v))
            {
                values.Add(v);
                sum += (decimal)v;
                nonZero += v != 0 ? 1 : 0;
                oldest = oldest is { } o && o <= s.At ? o : s.At;
            }
        }
        if (selector.Ordered)
        {
            values.Sort();
        }
        return From(values.Count, nonZero, sum, oldest, selector.Ordered ? rank => values[rank - 1] : null);
    }

    internal static MetricAggregates From(int n, int nonZero, decimal sum, DateTimeOffset? oldest, Func<int, double>? select) =>
        n == 0
            ? Empty
            : new MetricAggregates
            {
                Runs = n,
                NonZero = nonZero,
                Sum = (double)sum,
                Mean = (double)(sum / n),
                Oldest = oldest,
                Min = select?.Invoke(1),
                Max = select?.Invoke(n),
                P50 = select?.Invoke(WindowAggregates.NearestRank(50, n)),
                P90 = select?.Invoke(WindowAggregates.NearestRank(90, n)),
                P95 = select?.Invoke(WindowAggregates.NearestRank(95, n)),
                P99 = select?.Invoke(WindowAggregates.NearestRank(99, n)),
            };
}
