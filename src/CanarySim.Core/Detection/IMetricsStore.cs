using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// Where samples are recorded and windows read from (the Argo Rollouts "metric provider").
/// Implementations: in-memory, SQLite, and the harness's fakes.
/// </summary>
public interface IMetricsStore
{
    /// <summary>Records one sample.</summary>
    void Add(Sample sample);

    /// <summary>The most recent <paramref name="count"/> samples of an engine, oldest first.</summary>
    IReadOnlyList<Sample> LastRuns(Engine engine, int count);

    /// <summary>The samples of an engine with <c>At</c> in (<paramref name="since"/>, now], oldest first.</summary>
    IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since);
}
