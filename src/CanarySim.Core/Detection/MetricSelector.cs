namespace CanarySim.Core.Detection;

/// <summary>
/// Which values of a window a declared check reads: a metric, a tag filter, and whether the values
/// must be kept in order (percentiles, min, max). Equal selectors share one streaming window.
/// </summary>
public sealed class MetricSelector : IEquatable<MetricSelector>
{
    /// <summary>Creates a selector; <paramref name="where"/> pairs are sorted by tag name.</summary>
    public MetricSelector(string metric, IEnumerable<KeyValuePair<string, string>> where, bool ordered)
    {
        ArgumentException.ThrowIfNullOrEmpty(metric);
        ArgumentNullException.ThrowIfNull(where);
        Metric = metric;
        Where = where.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        Ordered = ordered;
        Key = $"{metric}|{string.Join(",", Where.Select(p => $"{p.Key}={p.Value}"))}|{(ordered ? "o" : "")}";
    }

    /// <summary>The metric read.</summary>
    public string Metric { get; }

    /// <summary>Tag equality filter, sorted by tag name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Where { get; }

    /// <summary>True when values are kept in order.</summary>
    public bool Ordered { get; }

    /// <summary>A canonical text of the selector (its identity).</summary>
    public string Key { get; }

    /// <summary>The selector of a check.</summary>
    public static MetricSelector Of(CheckDefinition check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new MetricSelector(check.Metric, check.Where, check.NeedsOrder);
    }

    /// <summary>True when the sample matches the filter and carries the metric; <paramref name="value"/> is then its value.</summary>
    public bool Select(Sample sample, out double value)
    {
        value = 0;
        return SampleMetrics.Matches(sample, Where) && SampleMetrics.TryGet(sample, Metric, out value);
    }

    /// <inheritdoc />
    public bool Equals(MetricSelector? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MetricSelector);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    /// <inheritdoc />
    public override string ToString() => Key;
}
