namespace CanarySim.Harness.Fakes;

/// <summary>
/// Exact, noise-free metrics for a run of fake samples: every sample has these quality, latency
/// and cost values, and the rates are spread evenly and exactly (a 5 % error rate over 100 runs is
/// exactly 5 failed runs, every 20th) — so a rehearsal lands exactly on, below or above a threshold.
/// </summary>
public sealed record SampleShape
{
    /// <summary>Quality of every sample. The default value is 95.</summary>
    public double Quality { get; init; } = 95;

    /// <summary>Latency of every sample (so every percentile equals it). The default value is 800 ms.</summary>
    public double LatencyMs { get; init; } = 800;

    /// <summary>Cost of every sample. The default value is 1.0 cent.</summary>
    public double CostCents { get; init; } = 1.0;

    /// <summary>Exact share (0–1) of samples marked as errors. The default value is 0.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Exact share (0–1) of samples marked as fallbacks. The default value is 0.</summary>
    public double FallbackRate { get; init; }

    /// <summary>Exact share (0–1) of samples with a policy or security violation. The default value is 0.</summary>
    public double PolicyViolationRate { get; init; }

    /// <summary>Exact share (0–1) of samples a user complained about. The default value is 0.</summary>
    public double ComplaintRate { get; init; }

    /// <summary>
    /// Agents the samples come from, in turn (the n-th sample's <c>agent</c> is <c>Agents[n % Agents.Count]</c>);
    /// empty: no agent tag. The default value is empty.
    /// </summary>
    public IReadOnlyList<string> Agents { get; init; } = [];

    /// <summary>Application metrics the samples carry (see <see cref="MetricShape"/>). The default value is empty.</summary>
    public IReadOnlyList<MetricShape> Metrics { get; init; } = [];

    /// <summary>A healthy engine: quality 95, 800 ms, 1.0 cent, no errors.</summary>
    public static SampleShape Healthy { get; } = new();

    /// <summary>The agent of the <paramref name="index"/>-th sample, or null when <see cref="Agents"/> is empty.</summary>
    public string? AgentAt(long index) => Agents.Count == 0 ? null : Agents[(int)(index % Agents.Count)];

    /// <summary>
    /// The application metrics of the <paramref name="index"/>-th sample (null when <see cref="Metrics"/> is empty).
    /// Every metric named by a shape is present on every sample: the value of the last shape for the sample's agent,
    /// else of the last shape for every agent, on the runs its share hits (counted among that agent's samples),
    /// and 0 on the others.
    /// </summary>
    public IReadOnlyDictionary<string, double>? MetricsAt(long index)
    {
        if (Metrics.Count == 0)
        {
            return null;
        }
        var agent = AgentAt(index);
        var perAgentIndex = Agents.Count == 0 ? index : index / Agents.Count;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in Metrics.Select(m => m.Name).Distinct(StringComparer.Ordinal))
        {
            var shape = Metrics.LastOrDefault(m => m.Name == name && m.Agent is not null && m.Agent == agent)
                ?? Metrics.LastOrDefault(m => m.Name == name && m.Agent is null);
            var hit = shape is not null && (shape.Share >= 1 || Hits(shape.Share, shape.Agent is null ? index : perAgentIndex));
            values[name] = hit ? shape!.Value : 0;
        }
        return values;
    }

    /// <summary>Whether the <paramref name="index"/>-th sample (0-based) of a run is one of the <paramref name="rate"/> share (evenly spread, exact over any whole multiple of 1/rate).</summary>
    public static bool Hits(double rate, long index) =>
        rate > 0 && Math.Floor((index + 1) * rate + 1e-9) > Math.Floor(index * rate + 1e-9);
}
