using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// A durable metrics store that records whole batches, all or none (the SQLite and PostgreSQL stores): one sample is
/// a batch of one, a batch holding a null sample is refused before anything is written, and an empty batch writes
/// nothing. A store implements <see cref="Write"/>, <see cref="LastRuns"/> and <see cref="Since"/>.
/// </summary>
public abstract class BatchMetricsStore : IMetricsStore
{
    /// <summary>Records one sample in its own transaction; durable when this returns.</summary>
    public void Add(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        AddRange([sample]);
    }

    /// <summary>Records several samples in one transaction (all or none), in their order; durable when this returns.</summary>
    public void AddRange(IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var list = samples.ToList();
        foreach (var s in list)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(samples));
        }
        if (list.Count > 0)
        {
            Write(list);
        }
    }

    /// <summary>
    /// The last <paramref name="count"/> samples of an engine to arrive (insertion order, not <c>At</c>: a
    /// sample dated in the future must not stay at the head of the window), oldest first.
    /// </summary>
    public abstract IReadOnlyList<Sample> LastRuns(Engine engine, int count);

    /// <summary>The samples of an engine with <c>At</c> in (<paramref name="since"/>, now], oldest first; now comes from the store's clock.</summary>
    public abstract IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since);

    /// <summary>Writes a non-empty batch of samples in one transaction, in their order.</summary>
    protected abstract void Write(IReadOnlyList<Sample> samples);
}
