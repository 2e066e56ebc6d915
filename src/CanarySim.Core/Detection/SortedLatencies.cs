namespace CanarySim.Core.Detection;

/// <summary>
/// A small multiset of doubles kept as one sorted array: add and remove are a binary search plus a
/// memmove, k-th smallest is an index. For windows of a few thousand values this beats the
/// <see cref="OrderStatisticTree"/> by a wide margin (no pointer chasing, no rebalancing); beyond that
/// the O(n) move loses, so <see cref="StreamingWindow"/> switches to the tree. Not thread-safe.
/// </summary>
internal sealed class SortedLatencies : ILatencyIndex
{
    /// <summary>Largest window (in runs) this structure is used for.</summary>
    public const int MaxWindow = 4096;

    private double[] _values;
    private int _count;

    public SortedLatencies(int capacity) => _values = new double[Math.Max(4, capacity)];

    public int Count => _count;

    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "NaN cannot be ordered.");
        }
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }
        var at = UpperBound(value);
        Array.Copy(_values, at, _values, at + 1, _count - at);
        _values[at] = value;
        _count++;
    }

    public bool Remove(double value)
    {
        var at = UpperBound(value) - 1;
        if (at < 0 || _values[at] != value)
        {
            return false;
        }
        Array.Copy(_values, at + 1, _values, at, _count - at - 1);
        _count--;
        return true;
    }

    public double Select(int rank)
    {
        if (rank < 1 || rank > _count)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in 1..{_count}.");
        }
        return _values[rank - 1];
    }

    public void Clear() => _count = 0;

    /// <summary>Index of the first value greater than <paramref name="value"/>.</summary>
    private int UpperBound(double value)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_values[mid] <= value)
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
