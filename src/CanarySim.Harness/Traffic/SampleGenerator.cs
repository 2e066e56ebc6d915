using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Harness.Simulation;

namespace CanarySim.Harness.Traffic;

/// <summary>
/// Draws <see cref="Sample"/>s for v1/v2 from <see cref="SampleProfile"/> distributions,
/// with drift over time. One seeded <see cref="SimRandom"/> per generator — the simulator's generator and
/// its normal sampler, so the harness draws normals one way — and no per-sample Faker, so it streams
/// millions of samples cheaply; the same seed and the same calls give the same samples on every machine.
/// </summary>
public sealed class SampleGenerator
{
    private readonly SimRandom _random;

    /// <summary>Creates a generator from a seed.</summary>
    public SampleGenerator(int seed)
    {
        Seed = seed;
        _random = new SimRandom(seed);
    }

    /// <summary>Seed of the generator: the same seed draws the same samples.</summary>
    public int Seed { get; }

    /// <summary>
    /// <paramref name="count"/> samples of one engine, the first at <paramref name="start"/> and one
    /// every <paramref name="interval"/> (drift is measured from <paramref name="start"/>). Lazy.
    /// </summary>
    public IEnumerable<Sample> Generate(Engine engine, SampleProfile profile, int count, DateTimeOffset start, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        profile.Validate();
        return Iterate();

        IEnumerable<Sample> Iterate()
        {
            for (var i = 0; i < count; i++)
            {
                var at = start + interval * i;
                yield return Next(engine, profile, at, (at - start).TotalHours);
            }
        }
    }

    /// <summary>
    /// <paramref name="count"/> samples of mixed traffic: each run goes to v2 with probability
    /// <paramref name="canaryPct"/>/100 (else v1), one every <paramref name="interval"/>. Lazy.
    /// </summary>
    public IEnumerable<Sample> Mixed(SampleProfile v1, SampleProfile v2, double canaryPct, int count, DateTimeOffset start, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(v1);
        ArgumentNullException.ThrowIfNull(v2);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(canaryPct >= 0 && canaryPct <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(canaryPct), canaryPct, "Canary percentage must be between 0 and 100.");
        }
        v1.Validate();
        v2.Validate();
        return Iterate();

        IEnumerable<Sample> Iterate()
        {
            var share = canaryPct / 100.0;
            for (var i = 0; i < count; i++)
            {
                var at = start + interval * i;
                var toV2 = _random.NextDouble() < share;
                yield return Next(toV2 ? Engine.V2 : Engine.V1, toV2 ? v2 : v1, at, (at - start).TotalHours);
            }
        }
    }

    /// <summary>One sample at <paramref name="at"/>, <paramref name="hoursSinceStart"/> into the drift.</summary>
    public Sample Next(Engine engine, SampleProfile profile, DateTimeOffset at, double hoursSinceStart = 0)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var d = profile.Drift;
        var quality = Math.Clamp(profile.QualityMean + d.QualityPerHour * hoursSinceStart + profile.QualityStdDev * Normal(), 0, 100);
        var median = Math.Max(1, profile.LatencyMedianMs + d.LatencyMsPerHour * hoursSinceStart);
        var latency = profile.LatencySpread == 0 ? median : median * Math.Exp(profile.LatencySpread * Normal());
        var cost = Math.Max(0, profile.CostMeanCents + d.CostCentsPerHour * hoursSinceStart + profile.CostStdDevCents * Normal());
        var errorRate = Math.Clamp(profile.ErrorRate + d.ErrorRatePerHour * hoursSinceStart, 0, 1);
        var tokens = (int)Math.Max(0, Math.Round(profile.TokensMean * (1 + 0.2 * Normal())));
        return new Sample
        {
            Engine = engine,
            At = at,
            Quality = Math.Round(quality, 2),
            LatencyMs = Math.Round(latency),
            CostCents = Math.Round(cost, 3),
            Error = Bernoulli(errorRate),
            Fallback = Bernoulli(profile.FallbackRate),
            PolicyViolation = Bernoulli(profile.PolicyViolationRate),
            Complaint = Bernoulli(profile.ComplaintRate),
            Tokens = tokens,
        };
    }

    // rate 0 consumes no randomness, so adding a zero-rate field never shifts a seeded run
    private bool Bernoulli(double p) => p > 0 && (p >= 1 || _random.NextDouble() < p);

    private double Normal() => _random.NextNormal();
}
