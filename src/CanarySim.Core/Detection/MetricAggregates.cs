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
    /// <summary>Sample variance of the values (n − 1 in the denominator); null for fewer than 2 runs or when a value's magnitude exceeds <see cref="MaxSquaredMagnitude"/>.</summary>
    public double? Variance { get; init; }
    /// <summary>When the oldest run of the population happened.</summary>
    public DateTimeOffset? Oldest { get; init; }

    /// <summary>Values up to this magnitude enter the exact (decimal) sum of squares behind <see cref="Variance"/>.</summary>
    public const double MaxSquaredMagnitude = 1e12;

    /// <summary>An empty population.</summary>
    public static MetricAggregates Empty { get; } = new();

    /// <summary>The reference computation by sorting (what the streaming window must equal).</summary>
    public static MetricAggregates Compute(IEnumerable<Sample> samples, MetricSelector selector)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(selector);
        var values = new List<double>();
        decimal sum = 0;
        var squares = new SumOfSquares();
        var nonZero = 0;
        DateTimeOffset? oldest = null;
        foreach (var s in samples)
        {
            if (selector.Select(s, out var v))
            {
                values.Add(v);
                sum += (decimal)v;
                squares.Add(v);
                nonZero += v != 0 ? 1 : 0;
                oldest = oldest is { } o && o <= s.At ? o : s.At;
            }
        }
        if (selector.Ordered)
        {
            values.Sort();
        }
        return From(values.Count, nonZero, sum, squares, oldest, selector.Ordered ? rank => values[rank - 1] : null);
    }

    internal static MetricAggregates From(int n, int nonZero, decimal sum, SumOfSquares squares, DateTimeOffset? oldest, Func<int, double>? select) =>
        n == 0
            ? Empty
            : new MetricAggregates
            {
                Runs = n,
                NonZero = nonZero,
                Sum = (double)sum,
                Mean = (double)(sum / n),
                Variance = squares.Variance(n, sum),
                Oldest = oldest,
                Min = select?.Invoke(1),
                Max = select?.Invoke(n),
                P50 = select?.Invoke(WindowAggregates.NearestRank(50, n)),
                P90 = select?.Invoke(WindowAggregates.NearestRank(90, n)),
                P95 = select?.Invoke(WindowAggregates.NearestRank(95, n)),
                P99 = select?.Invoke(WindowAggregates.NearestRank(99, n)),
            };

    /// <summary>
    /// The sum of squared values, exact in <see cref="decimal"/> so that a streaming window that adds and
    /// removes values keeps the same sum as the reference; values beyond <see cref="MaxSquaredMagnitude"/> are
    /// counted instead (the variance is then unknown).
    /// </summary>
    internal struct SumOfSquares
    {
        private decimal _sum;
        private int _wide;

        public void Add(double v)
        {
            if (Math.Abs(v) <= MaxSquaredMagnitude)
            {
                var d = (decimal)v;
                _sum += d * d;
            }
            else
            {
                _wide++;
            }
        }

        public void Remove(double v)
        {
            if (Math.Abs(v) <= MaxSquaredMagnitude)
            {
                var d = (decimal)v;
                _sum -= d * d;
            }
            else
            {
                _wide--;
            }
        }

        /// <summary>(Σx² − n·mean²) ÷ (n − 1), never negative; null below 2 runs or with a value too large to square exactly.</summary>
        public readonly double? Variance(int n, decimal sum)
        {
            if (n < 2 || _wide > 0)
            {
                return null;
            }
            var mean = sum / n;
            var centred = _sum - mean * sum;
            return centred <= 0 ? 0 : (double)(centred / (n - 1));
        }
    }
}
