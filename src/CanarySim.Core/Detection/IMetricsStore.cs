using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// Where samples are recorded and windows read from (the Argo Rollouts "metric provider").
/// Implementations: in-memory, SQLite, PostgreSQL, and the harness's fakes.
/// </summary>
public interface IMetricsStore
{
    /// <summary>Records one sample.</summary>
    void Add(Sample sample);

    /// <summary>Records several samples; stores with transactions record them all or none, in one commit.</summary>
    void AddRange(IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        foreach (var s in samples)
        {
            Add(s);
        }
    }

    /// <summary>The most recent <paramref name="count"/> samples of an engine, oldest first.</summary>
    IReadOnlyList<Sample> LastRuns(Engine engine, int count);

    /// <summary>The samples of an engine with <c>At</c> in (<paramref name="since"/>, now], oldest first.</summary>
    IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since);
}
