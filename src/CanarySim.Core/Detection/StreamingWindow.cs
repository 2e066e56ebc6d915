namespace CanarySim.Core.Detection;

/// <summary>
/// SPEC §2: one engine's evaluation window maintained incrementally: adding a sample and evicting
/// the oldest cost O(log n) (an order-statistic tree for the latencies, running sums for the rest),
/// and <see cref="Aggregates"/> costs O(log n) — no sort per evaluation, so a 1 000 000-sample
/// window evaluates in microseconds. Results equal <see cref="WindowAggregates.Compute"/> exactly.
/// Samples must be added in time order. Not thread-safe (the owning store locks).
/// </summary>
public sealed class StreamingWindow
{
    private readonly Queue<Sample> _samples = new();
    private readonly OrderStatisticTree _latencies = new();
    private decimal _quality;
    private decimal _cost;
    private int _errors;
    private int _fallbacks;
    private int _violations;
    private int _complaints;

    /// <summary>Creates an empty window.</summary>
    public StreamingWindow(WindowSpec spec)
    {
        if (spec.Kind == WindowKind.Count ? spec.Runs < 1 : spec.Duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec, "A window needs at least 1 run or a positive duration.");
        }
        Spec = spec;
    }

    /// <summary>What the window holds.</summary>
    public WindowSpec Spec { get; }

    /// <summary>Samples currently held.</summary>
    public int Count => _samples.Count;

    /// <summary>Adds a sample; a count window evicts its oldest beyond the run count.</summary>
    public void Add(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        _samples.Enqueue(sample);
        _latencies.Add(sample.LatencyMs);
        _quality += (decimal)sample.Quality;
        _cost += (decimal)sample.CostCents;
        _errors += sample.Error ? 1 : 0;
        _fallbacks += sample.Fallback ? 1 : 0;
        _violations += sample.PolicyViolation ? 1 : 0;
        _complaints += sample.Complaint ? 1 : 0;
        if (Spec.Kind == WindowKind.Count && _samples.Count > Spec.Runs)
        {
            EvictOldest();
        }
    }

    /// <summary>The window's aggregates at <paramref name="now"/> (a time window first drops samples at or before now − duration).</summary>
    public WindowAggregates Aggregates(DateTimeOffset now)
    {
        if (Spec.Kind == WindowKind.Time)
        {
            var cutoff = now - Spec.Duration;
            while (_samples.Count > 0 && _samples.Peek().At <= cutoff)
            {
                EvictOldest();
            }
        }
        return WindowAggregates.From(_samples.Count, _quality, _cost, _errors, _fallbacks, _violations, _complaints, _latencies.Select);
    }

    private void EvictOldest()
    {
        var old = _samples.Dequeue();
        _latencies.Remove(old.LatencyMs);
        _quality -= (decimal)old.Quality;
        _cost -= (decimal)old.CostCents;
        _errors -= old.Error ? 1 : 0;
        _fallbacks -= old.Fallback ? 1 : 0;
        _violations -= old.PolicyViolation ? 1 : 0;
        _complaints -= old.Complaint ? 1 : 0;
    }
}
