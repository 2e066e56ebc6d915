namespace CanarySim.Core.Detection;

/// <summary>An ordered multiset of latencies with k-th smallest: what a window needs for exact nearest-rank percentiles.</summary>
internal interface ILatencyIndex
{
    /// <summary>Values held (with multiplicity).</summary>
    int Count { get; }

    /// <summary>Adds one occurrence (must not be NaN).</summary>
    void Add(double value);

    /// <summary>Removes one occurrence; false when absent.</summary>
    bool Remove(double value);

    /// <summary>The <paramref name="rank"/>-th smallest value, 1-based.</summary>
    double Select(int rank);

    /// <summary>Removes everything.</summary>
    void Clear();
}
