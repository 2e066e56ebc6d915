namespace CanarySim.Core.Detection;

/// <summary>The value rules every <see cref="Sample"/> must meet.</summary>
public static class SampleRules
{
    private const double MaxMagnitude = 1e15;

    /// <summary>Null when the sample is valid, otherwise "field: what was expected, got what".</summary>
    public static string? Check(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (!double.IsFinite(sample.LatencyMs) || sample.LatencyMs < 0 || sample.LatencyMs > MaxMagnitude)
        {
            return $"latency_ms: expected a finite number >= 0, got {sample.LatencyMs}";
        }
        if (!double.IsFinite(sample.Quality) || sample.Quality < 0 || sample.Quality > 100)
        {
            return $"quality: expected a number in 0..100, got {sample.Quality}";
        }
        if (!double.IsFinite(sample.CostCents) || sample.CostCents < 0 || sample.CostCents > MaxMagnitude)
        {
            return $"cost_cents: expected a finite number >= 0, got {sample.CostCents}";
        }
        if (sample.Tokens < 0)
        {
            return $"tokens: expected an integer >= 0, got {sample.Tokens}";
        }
        return CheckMetrics(sample) ?? CheckTags(sample);
    }

    private static string? CheckMetrics(Sample sample)
    {
        foreach (var (name, value) in sample.Metrics ?? EmptyMetrics)
        {
            if (string.IsNullOrWhiteSpace(name) || SampleMetrics.Fixed.Contains(name))
            {
                return $"metrics: expected a name that is not empty and not a fixed field ({string.Join(", ", SampleMetrics.Fixed)}), got \"{name}\"";
            }
            if (!double.IsFinite(value) || Math.Abs(value) > MaxMagnitude)
            {
                return $"metrics.{name}: expected a finite number or a bool, got {value}";
            }
        }
        return null;
    }

    private static string? CheckTags(Sample sample)
    {
        foreach (var (name, value) in sample.Tags ?? EmptyTags)
        {
            if (string.IsNullOrWhiteSpace(name) || SampleMetrics.FixedTags.Contains(name))
            {
                return $"tags: expected a name that is not empty and not agent, scenario or role (those are fields of their own), got \"{name}\"";
            }
            if (value is null)
            {
                return $"tags.{name}: expected a string, got null";
            }
        }
        return null;
    }

    private static readonly Dictionary<string, double> EmptyMetrics = [];
    private static readonly Dictionary<string, string> EmptyTags = [];
}
