using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// A metrics store that can aggregate a window itself, incrementally (no sort per evaluation).
/// The detector uses it when the store offers it and falls back to <see cref="WindowAggregates.Compute"/>
/// over <see cref="IMetricsStore.LastRuns"/> / <see cref="IMetricsStore.Since"/> otherwise.
/// </summary>
public interface IWindowedMetricsStore : IMetricsStore
{
    /// <summary>The aggregates of <paramref name="engine"/>'s <paramref name="window"/> at <paramref name="now"/>.</summary>
    WindowAggregates Aggregate(Engine engine, WindowSpec window, DateTimeOffset now);

    /// <summary>
    /// The run, error, fallback, violation and complaint counts of <paramref name="window"/> at
    /// <paramref name="now"/> (the rolling fallback and complaint windows need nothing more). A store
    /// may leave means and percentiles null here, which lets it skip maintaining them; the default
    /// answers the full <see cref="Aggregate"/>.
    /// </summary>
    WindowAggregates Counts(Engine engine, WindowSpec window, DateTimeOffset now) => Aggregate(engine, window, now);

    /// <summary>
    /// One metric's population in <paramref name="window"/> at <paramref name="now"/> (a declared
    /// check's values). The default computes it from <see cref="IMetricsStore.LastRuns"/> /
    /// <see cref="IMetricsStore.Since"/>; a store may maintain it incrementally.
    /// </summary>
    MetricAggregates Metric(Engine engine, WindowSpec window, MetricSelector selector, DateTimeOffset now) =>
        MetricAggregates.Compute(
            window.Kind == WindowKind.Count ? LastRuns(engine, window.Runs) : Since(engine, now - window.Duration).Where(s => s.At <= now),
            selector);
}
