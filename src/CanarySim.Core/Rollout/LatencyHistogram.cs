namespace CanarySim.Core.Rollout;

/// <summary>
/// Latencies in 1 %-wide logarithmic bins (0.1 ms – 10⁷ ms), so a window's percentiles are found without
/// keeping every value (the 10 M-request simulation would otherwise keep and sort every v2 latency). It is
/// the one latency distribution of an <see cref="EvidenceWindow"/> and of the simulator's period figures.
/// Error bound: the rank is the exact nearest rank (⌈p·n/100⌉), and the value reported is the geometric
/// midpoint of the bin holding the exact nearest-rank value, so it is within a factor e^±0.005 of it —
/// at most 0.502 % off — for every latency between 0.1 ms and 10⁷ ms (tested against the exact
/// <see cref="CanarySim.Core.Detection.WindowAggregates.NearestRank"/> selection). Latencies below 0.1 ms
/// count in the lowest bin, above 10⁷ ms in the highest.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Offset = 231; // ln(0.1) * 100 ≈ -230.3
    private const int Bins = Offset + 1612 + 2;
    private readonly int[] _bins = new int[Bins];

    // No bin above this one holds a latency (only ever raised, except by Clear): a high percentile is found by
    // walking down from here, over the few bins of the tail, instead of up through every bin below it.
    private int _top = -1;

    /// <summary>Latencies added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one latency in milliseconds.</summary>
    public void Add(double ms) => AddBin(BinOf(ms));

    /// <summary>The bin of a latency (compute once, add to several histograms).</summary>
    public static int BinOf(double ms) => Math.Clamp((int)Math.Floor(Math.Log(Math.Max(ms, 0.1)) * 100) + Offset, 0, Bins - 1);

    /// <summary>Adds one latency by its bin (see <see cref="BinOf"/>).</summary>
    public void AddBin(int bin)
    {
        if ((uint)bin >= Bins)
        {
            throw new ArgumentOutOfRangeException(nameof(bin), bin, "not a bin of LatencyHistogram.BinOf");
        }
        _bins[bin]++;
        _top = Math.Max(_top, bin);
        Count++;
    }

    /// <summary>Nearest-rank percentile (⌈p·n⌉-th smallest), or null when empty.</summary>
    public double? Percentile(int percent)
    {
        if (Count == 0)
        {
            return null;
        }
        var rank = Math.Max(1, (percent * Count + 99) / 100);
        if (percent > 50)
        {
            return FromTop(Count - rank, _top, _bins, null);
        }
        long seen = 0;
        for (var i = 0; i < _bins.Length; i++)
        {
            seen += _bins[i];
            if (seen >= rank)
            {
                return Math.Exp((i - Offset + 0.5) / 100);
            }
        }
        return null;
    }

    /// <summary>Nearest-rank percentile of <paramref name="a"/> and <paramref name="b"/> together (null when both are empty).</summary>
    public static double? Percentile(int percent, LatencyHistogram a, LatencyHistogram? b)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (b is null)
        {
            return a.Percentile(percent);
        }
        var count = a.Count + b.Count;
        if (count == 0)
        {
            return null;
        }
        var rank = Math.Max(1, (percent * count + 99) / 100);
        if (percent > 50)
        {
            return FromTop(count - rank, Math.Max(a._top, b._top), a._bins, b._bins);
        }
        long seen = 0;
        for (var i = 0; i < a._bins.Length; i++)
        {
            seen += a._bins[i] + b._bins[i];
            if (seen >= rank)
            {
                return Math.Exp((i - Offset + 0.5) / 100);
            }
        }
        return null;
    }

    /// <summary>
    /// The bin holding the rank-th smallest latency, found from the top: the highest bin whose bins at and above it
    /// hold more than <paramref name="above"/> (= count − rank) latencies. Bins above <paramref name="top"/> are empty.
    /// </summary>
    private static double? FromTop(long above, int top, int[] a, int[]? b)
    {
        long tail = 0;
        for (var i = top; i >= 0; i--)
        {
            tail += a[i] + (b is null ? 0 : b[i]);
            if (tail > above)
            {
                return Math.Exp((i - Offset + 0.5) / 100);
            }
        }
        return null;
    }

    /// <summary>Removes <paramref name="other"/>'s counts (it must have been merged in before).</summary>
    public void Subtract(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _bins.Length; i++)
        {
            _bins[i] -= other._bins[i];
        }
        Count -= other.Count;
    }

    /// <summary>Adds <paramref name="other"/>'s counts.</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _bins.Length; i++)
        {
            _bins[i] += other._bins[i];
        }
        Count += other.Count;
        _top = Math.Max(_top, other._top);
    }

    /// <summary>Forgets every latency.</summary>
    public void Clear()
    {
        Array.Clear(_bins);
        Count = 0;
        _top = -1;
    }
}
