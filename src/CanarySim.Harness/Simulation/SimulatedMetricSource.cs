using CanarySim.Core.Detection;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// The simulation's metrics endpoint: a real <see cref="InMemoryMetricsStore"/> behind a switch that
/// makes reads fail as the endpoint would when it refuses authentication (an injected
/// <c>metrics.auth</c> fault). The detector records such reads as error measurements, never as a pass.
/// Samples are buffered and handed to the store in one batch before the next read (one lock per
/// evaluation interval rather than one per run); reads see exactly what an unbuffered store would.
/// </summary>
internal sealed class SimulatedMetricSource(InMemoryMetricsStore inner) : IWindowedMetricsStore
{
    public bool RefusingAuth { get; set; }

    public InMemoryMetricsStore Inner { get; } = inner;

    private readonly List<Sample> _pending = [];

    public void Add(Sample sample) => _pending.Add(sample);

    /// <summary>Hands the buffered samples to the store.</summary>
    public void Flush()
    {
        if (_pending.Count > 0)
        {
            Inner.AddRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending));
            _pending.Clear();
        }
    }

    public IReadOnlyList<Sample> LastRuns(Engine engine, int count)
    {
        Check();
        return Inner.LastRuns(engine, count);
    }

    public IReadOnlyList<Sample> Since(Engine engine, DateTimeOffset since)
    {
        Check();
        return Inner.Since(engine, since);
    }

    public WindowAggregates Aggregate(Engine engine, WindowSpec window, DateTimeOffset now)
    {
        Check();
        return Inner.Aggregate(engine, window, now);
    }

    public WindowAggregates Counts(Engine engine, WindowSpec window, DateTimeOffset now)
    {
        Check();
        return Inner.Counts(engine, window, now);
    }

    // Forwarded, not left to the interface's default (which recomputes from the retained samples on every read,
    // so a time window longer than the samples the store keeps would be cut short).
    public MetricAggregates Metric(Engine engine, WindowSpec window, MetricSelector selector, DateTimeOffset now)
    {
        Check();
        return Inner.Metric(engine, window, selector, now);
    }

    private void Check()
    {
        Flush();
        if (RefusingAuth)
        {
            throw new UnauthorizedAccessException("metrics endpoint answered 401 Unauthorized (ops token refused)");
        }
    }
}
