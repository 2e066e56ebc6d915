using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// One declared check of a policy (<c>canarysim.policy/v2</c>): a metric, how it is aggregated over
/// a window, what it is compared with, its bounds and the action when it breaches. Bounds are
/// strict: a value exactly at <see cref="Max"/> or <see cref="Min"/> is not a breach.
/// The population of a check is the engine's runs in its window that match <see cref="Where"/> and
/// carry <see cref="Metric"/> (every run carries the fixed sample fields). An empty population has
/// no value — the check is insufficient data — except that <c>count</c>, <c>sum</c> and
/// <c>per_hour</c> of a fixed field with no <see cref="Where"/> are 0.
/// </summary>
public sealed record CheckDefinition
{
    /// <summary>Unique name; the <c>check</c> of its breaches.</summary>
    public required string Name { get; init; }

    /// <summary>A fixed sample field (<c>latency_ms</c>, <c>error</c>, …) or a name in the sample's <c>metrics</c>; <c>*</c> with <see cref="CheckCompare.Judge"/> judges every metric of the policy's judge.</summary>
    public required string Metric { get; init; }

    /// <summary>How the metric is reduced over the window.</summary>
    public required CheckAggregate Aggregate { get; init; }

    /// <summary>The engine a <see cref="CheckCompare.Value"/> check reads. The default value is v2.</summary>
    public Engine Engine { get; init; } = Engine.V2;

    /// <summary>Tag equality filter (<c>agent</c>, <c>scenario</c>, <c>role</c> or any tag). The default value is empty (every run).</summary>
    public IReadOnlyDictionary<string, string> Where { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>What is compared with the bounds. The default value is <see cref="CheckCompare.Value"/>.</summary>
    public CheckCompare Compare { get; init; }

    /// <summary>Breach when the compared value is strictly above it.</summary>
    public double? Max { get; init; }

    /// <summary>Breach when the compared value is strictly below it.</summary>
    public double? Min { get; init; }

    /// <summary>How long every evaluation must breach before the check acts; meanwhile it is pending. The default value is null (acts at once).</summary>
    public TimeSpan? Sustain { get; init; }

    /// <summary>The check's own window. The default value is null (the policy's window).</summary>
    public WindowSpec? Window { get; init; }

    /// <summary>Runs the population needs before the check is judged; 0 judges any count. The default value is null (the policy's minimum, counted over the policy window).</summary>
    public int? MinSamples { get; init; }

    /// <summary>The action on a breach.</summary>
    public required VerdictAction Action { get; init; }

    /// <summary>Reason template; <c>{name}</c>, <c>{value}</c>, <c>{threshold}</c>, <c>{v1}</c>, <c>{v2}</c>, <c>{metric}</c>, <c>{aggregate}</c> are filled in. The default value is null (the built-in text).</summary>
    public string? Reason { get; init; }

    /// <summary>Where the value comes from. The default value is null (the sample store).</summary>
    public CheckSource? Source { get; init; }

    /// <summary>A fixed v1 value for <c>drop</c>, <c>increase</c> and <c>ratio</c> (e.g. a projected cost). The default value is null (v1's aggregate).</summary>
    public double? Baseline { get; init; }

    /// <summary>
    /// For <c>drop</c>, <c>increase</c> and <c>ratio</c> of a <c>rate</c> or <c>mean</c>: judge the comparison on its
    /// confidence interval instead of the point estimate. A <see cref="Max"/> is breached only when the interval's lower
    /// end is above it, a <see cref="Min"/> only when its upper end is below it (each end one-sided at this confidence);
    /// an interval that reaches the bound is no evidence and passes. The default value is null (the point estimate).
    /// </summary>
    public double? Confidence { get; init; }

    /// <summary>What happens when v1 gives nothing to compare with. The default value is <see cref="MissingBaseline.Insufficient"/>.</summary>
    public MissingBaseline IfNoBaseline { get; init; }

    /// <summary>Failed measurements of this check tolerated before it acts. The default value is null (the policy's limit).</summary>
    public int? FailureLimit { get; init; }

    /// <summary>Inconclusive measurements of this check tolerated. The default value is null (the policy's limit).</summary>
    public int? InconclusiveLimit { get; init; }

    /// <summary>Consecutive error measurements of this check tolerated. The default value is null (the policy's limit).</summary>
    public int? ConsecutiveErrorLimit { get; init; }

    /// <summary>True when the aggregate needs the values in order (percentiles, min, max).</summary>
    public bool NeedsOrder => Aggregate is CheckAggregate.Min or CheckAggregate.Max or CheckAggregate.P50 or CheckAggregate.P90 or CheckAggregate.P95 or CheckAggregate.P99;

    /// <summary>True when only the non-zero count and the runs are needed.</summary>
    public bool CountsOnly => Aggregate is CheckAggregate.Count or CheckAggregate.Rate or CheckAggregate.PerHour;
}
