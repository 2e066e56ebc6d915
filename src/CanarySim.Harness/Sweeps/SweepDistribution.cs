namespace CanarySim.Harness.Sweeps;

/// <summary>
/// A distribution of whole seconds by nearest rank (the ⌈q·n⌉-th smallest value, as everywhere in CanarySim), with
/// every value kept so a report can draw it.
/// </summary>
/// <param name="Count">How many values.</param>
/// <param name="Min">Smallest.</param>
/// <param name="Median">The ⌈n/2⌉-th smallest.</param>
/// <param name="P90">The ⌈0.9·n⌉-th smallest.</param>
/// <param name="Max">Largest.</param>
/// <param name="Values">Every value, smallest first.</param>
public sealed record SweepDistribution(int Count, long Min, long Median, long P90, long Max, IReadOnlyList<long> Values)
{
    /// <summary>The distribution of <paramref name="values"/>; null when there are none.</summary>
    public static SweepDistribution? Of(IEnumerable<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }
        long Rank(double q) => sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new SweepDistribution(sorted.Length, sorted[0], Rank(0.5), Rank(0.9), sorted[^1], sorted);
    }
}
