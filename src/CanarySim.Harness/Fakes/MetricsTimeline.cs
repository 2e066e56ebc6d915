using CanarySim.Core.Routing;
using Microsoft.Extensions.Time.Testing;

namespace CanarySim.Harness.Fakes;

/// <summary>
/// Plays traffic into a <see cref="FakeMetricsStore"/> over virtual time: each step adds
/// <see cref="RunsPerStep"/> samples per engine (v1 with <see cref="V1"/>, v2 with <see cref="V2"/>)
/// spread over the step, moves the clock to the end of the step and calls the evaluation given
/// (e.g. the real guard's <c>EvaluateAndAct</c>). "Error rate above 5 % for 5 minutes" rehearses in
/// milliseconds. The shapes may be changed between calls (a fault starting or ending).
/// </summary>
public sealed class MetricsTimeline(FakeMetricsStore store, FakeTimeProvider time)
{
    private long _v1Index;
    private long _v2Index;

    /// <summary>v1's metrics. The default value is <see cref="SampleShape.Healthy"/>.</summary>
    public SampleShape V1 { get; set; } = SampleShape.Healthy;

    /// <summary>v2's metrics. The default value is <see cref="SampleShape.Healthy"/>.</summary>
    public SampleShape V2 { get; set; } = SampleShape.Healthy;

    /// <summary>Samples per engine per step. The default value is 100.</summary>
    public int RunsPerStep { get; set; } = 100;

    /// <summary>How much virtual time one step covers. The default value is 1 minute.</summary>
    public TimeSpan Step { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Quality points v2 loses at every step (gradual degradation). The default value is 0.</summary>
    public double V2QualityLossPerStep { get; set; }

    /// <summary>Milliseconds v2's latency rises at every step (a gradual slowdown). The default value is 0.</summary>
    public double V2LatencyRisePerStep { get; set; }

    /// <summary>Sets v2's complaint rate so that exactly <paramref name="complaintsPerHour"/> runs per hour are complained about.</summary>
    public void SetV2ComplaintsPerHour(int complaintsPerHour)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(complaintsPerHour);
        var runsPerHour = RunsPerStep * (TimeSpan.FromHours(1) / Step);
        V2 = V2 with { ComplaintRate = complaintsPerHour / runsPerHour };
    }

    /// <summary>Runs whole steps covering <paramref name="duration"/>, evaluating after each; returns every result, in order.</summary>
    public IReadOnlyList<T> Run<T>(TimeSpan duration, Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        if (Step <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Step must be positive.");
        }
        var steps = (int)Math.Ceiling(duration / Step);
        var results = new List<T>(steps);
        for (var i = 0; i < steps; i++)
        {
            var from = time.GetUtcNow();
            var to = from + Step;
            store.Fill(Engine.V1, RunsPerStep, V1, from, to, _v1Index);
            store.Fill(Engine.V2, RunsPerStep, V2, from, to, _v2Index);
            _v1Index += RunsPerStep;
            _v2Index += RunsPerStep;
            if (V2QualityLossPerStep != 0)
            {
                V2 = V2 with { Quality = Math.Max(0, V2.Quality - V2QualityLossPerStep) };
            }
            if (V2LatencyRisePerStep != 0)
            {
                V2 = V2 with { LatencyMs = Math.Max(0, V2.LatencyMs + V2LatencyRisePerStep) };
            }
            time.SetUtcNow(to);
            results.Add(evaluate());
        }
        return results;
    }
}
