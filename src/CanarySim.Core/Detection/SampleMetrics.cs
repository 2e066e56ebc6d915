using System.Collections.Frozen;

namespace CanarySim.Core.Detection;

/// <summary>
/// Reads a <see cref="Sample"/> as metrics and tags: every fixed field is a metric by its own name
/// (<c>latency_ms</c>, <c>quality</c>, <c>cost_cents</c>, <c>error</c>, <c>fallback</c>,
/// <c>policy_violation</c>, <c>complaint</c>, <c>tokens</c>; a bool is 1 or 0), and <c>agent</c>,
/// <c>scenario</c> and <c>role</c> are tags beside the sample's own <see cref="Sample.Tags"/>.
/// </summary>
public static class SampleMetrics
{
    /// <summary>The fixed fields every sample carries, by metric name.</summary>
    public static FrozenSet<string> Fixed { get; } = new[]
    {
        "latency_ms", "quality", "cost_cents", "error", "fallback", "policy_violation", "complaint", "tokens",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The fixed tags every sample may carry.</summary>
    public static FrozenSet<string> FixedTags { get; } = new[] { "agent", "scenario", "role" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The value of <paramref name="metric"/> in <paramref name="sample"/>; false when the sample does not carry it.</summary>
    public static bool TryGet(Sample sample, string metric, out double value)
    {
        ArgumentNullException.ThrowIfNull(sample);
        switch (metric)
        {
            case "latency_ms": value = sample.LatencyMs; return true;
            case "quality": value = sample.Quality; return true;
            case "cost_cents": value = sample.CostCents; return true;
            case "error": value = sample.Error ? 1 : 0; return true;
            case "fallback": value = sample.Fallback ? 1 : 0; return true;
            case "policy_violation": value = sample.PolicyViolation ? 1 : 0; return true;
            case "complaint": value = sample.Complaint ? 1 : 0; return true;
            case "tokens": value = sample.Tokens; return true;
            default:
                value = 0;
                return sample.Metrics is { } metrics && metrics.TryGetValue(metric, out value);
        }
    }

    /// <summary>The tag <paramref name="name"/> of <paramref name="sample"/>, or null.</summary>
    public static string? Tag(Sample sample, string name)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return name switch
        {
            "agent" => sample.Agent,
            "scenario" => sample.Scenario,
            "role" => sample.Role,
            _ => sample.Tags is { } tags && tags.TryGetValue(name, out var value) ? value : null,
        };
    }

    /// <summary>True when every pair of <paramref name="where"/> equals the sample's tag (ordinal).</summary>
    public static bool Matches(Sample sample, IReadOnlyList<KeyValuePair<string, string>> where)
    {
        ArgumentNullException.ThrowIfNull(where);
        for (var i = 0; i < where.Count; i++)
        {
            if (!string.Equals(Tag(sample, where[i].Key), where[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
