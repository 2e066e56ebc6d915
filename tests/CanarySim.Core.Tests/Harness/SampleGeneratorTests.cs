using CanarySim.Harness.Simulation;
using CanarySim.Harness.Traffic;

namespace CanarySim.Core.Tests.Harness;

public sealed class SampleGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void Same_seed_gives_the_same_samples()
    {
        var a = new SampleGenerator(5).Generate(Engine.V2, SampleProfile.Healthy, 1000, Start, TimeSpan.FromSeconds(1)).ToList();
        var b = new SampleGenerator(5).Generate(Engine.V2, SampleProfile.Healthy, 1000, Start, TimeSpan.FromSeconds(1)).ToList();
        Assert.That(a, Is.EqualTo(b));
        var c = new SampleGenerator(6).Generate(Engine.V2, SampleProfile.Healthy, 1000, Start, TimeSpan.FromSeconds(1)).ToList();
        Assert.That(a, Is.Not.EqualTo(c));
    }

    [Test]
    public void Distributions_match_the_profile()
    {
        var profile = new SampleProfile
        {
            QualityMean = 88, QualityStdDev = 4,
            LatencyMedianMs = 1000, LatencySpread = 0.25,
            CostMeanCents = 2.0, CostStdDevCents = 0.2,
            ErrorRate = 0.05, FallbackRate = 0.1, PolicyViolationRate = 0.01, ComplaintRate = 0.02,
        };
        var s = new SampleGenerator(1).Generate(Engine.V2, profile, 50_000, Start, TimeSpan.FromSeconds(1)).ToList();

        Assert.That(s.Average(x => x.Quality), Is.EqualTo(88).Within(0.1));
        Assert.That(StdDev(s.Select(x => x.Quality)), Is.EqualTo(4).Within(0.1));
        var latencies = s.Select(x => x.LatencyMs).Order().ToList();
        Assert.That(latencies[latencies.Count / 2], Is.EqualTo(1000).Within(15));
        var p95 = latencies[(int)Math.Ceiling(0.95 * latencies.Count) - 1];
        Assert.That(p95, Is.EqualTo(1000 * Math.Exp(1.645 * 0.25)).Within(25));
        Assert.That(s.Average(x => x.CostCents), Is.EqualTo(2.0).Within(0.01));
        Assert.That(s.Count(x => x.Error) / 50_000.0, Is.EqualTo(0.05).Within(0.005));
        Assert.That(s.Count(x => x.Fallback) / 50_000.0, Is.EqualTo(0.1).Within(0.006));
        Assert.That(s.Count(x => x.PolicyViolation) / 50_000.0, Is.EqualTo(0.01).Within(0.002));
        Assert.That(s.Count(x => x.Complaint) / 50_000.0, Is.EqualTo(0.02).Within(0.003));
        Assert.That(s.All(x => x.Engine == Engine.V2 && x.Quality is >= 0 and <= 100 && x.CostCents >= 0), Is.True);
    }

    [Test]
    public void Samples_are_spaced_by_the_interval()
    {
        var s = new SampleGenerator(1).Generate(Engine.V1, SampleProfile.Healthy, 3, Start, TimeSpan.FromMinutes(2)).ToList();
        Assert.That(s.Select(x => x.At), Is.EqualTo(new[] { Start, Start.AddMinutes(2), Start.AddMinutes(4) }));
    }

    [Test]
    public void Drift_degrades_quality_and_latency_over_time()
    {
        var profile = SampleProfile.Healthy with
        {
            Drift = new SampleDrift { QualityPerHour = -2, LatencyMsPerHour = 100, ErrorRatePerHour = 0.01 },
        };
        var s = new SampleGenerator(2).Generate(Engine.V2, profile, 6 * 3600, Start, TimeSpan.FromSeconds(1)).ToList();
        var firstHour = s.Take(3600).ToList();
        var lastHour = s.Skip(5 * 3600).ToList();
        Assert.That(firstHour.Average(x => x.Quality) - lastHour.Average(x => x.Quality), Is.EqualTo(10).Within(0.5));
        Assert.That(Median(lastHour) - Median(firstHour), Is.EqualTo(500).Within(40));
        Assert.That(lastHour.Count(x => x.Error) / 3600.0, Is.GreaterThan(firstHour.Count(x => x.Error) / 3600.0 + 0.03));
    }

    [Test]
    public void Mixed_traffic_splits_by_the_canary_percentage()
    {
        var s = new SampleGenerator(3).Mixed(SampleProfile.Healthy, SampleProfile.Healthy with { QualityMean = 80 }, 25, 20_000, Start, TimeSpan.FromSeconds(1)).ToList();
        var v2 = s.Where(x => x.Engine == Engine.V2).ToList();
        Assert.That(v2.Count / 20_000.0, Is.EqualTo(0.25).Within(0.01));
        Assert.That(v2.Average(x => x.Quality), Is.EqualTo(80).Within(0.2));
        Assert.That(s.Where(x => x.Engine == Engine.V1).Average(x => x.Quality), Is.EqualTo(92).Within(0.2));
    }

    [Test]
    public void Zero_spread_and_zero_deviation_give_constant_values()
    {
        var profile = new SampleProfile { QualityStdDev = 0, LatencySpread = 0, CostStdDevCents = 0, LatencyMedianMs = 1600, QualityMean = 90, CostMeanCents = 3 };
        var s = new SampleGenerator(4).Generate(Engine.V2, profile, 100, Start, TimeSpan.FromSeconds(1)).ToList();
        Assert.That(s.All(x => x.LatencyMs == 1600 && x.Quality == 90 && x.CostCents == 3), Is.True);
    }

    [Test]
    public void Normals_come_from_the_simulators_generator_and_sampler()
    {
        // No Bernoulli draws (all rates 0), so each sample takes exactly three normals: quality, cost, tokens.
        var profile = new SampleProfile
        {
            QualityMean = 50, QualityStdDev = 10, LatencySpread = 0, CostStdDevCents = 0,
            ErrorRate = 0, FallbackRate = 0, PolicyViolationRate = 0, ComplaintRate = 0,
        };
        var samples = new SampleGenerator(9).Generate(Engine.V1, profile, 20, Start, TimeSpan.FromSeconds(1)).ToList();
        var rng = new SimRandom(9);
        var expected = new List<double>();
        for (var i = 0; i < samples.Count; i++)
        {
            expected.Add(Math.Round(Math.Clamp(50 + 10 * rng.NextNormal(), 0, 100), 2));
            rng.NextNormal();
            rng.NextNormal();
        }
        Assert.That(samples.Select(x => x.Quality), Is.EqualTo(expected));
    }

    [Test]
    public void Invalid_profiles_are_rejected()
    {
        var g = new SampleGenerator(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Generate(Engine.V2, new SampleProfile { ErrorRate = 1.5 }, 1, Start, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Mixed(SampleProfile.Healthy, SampleProfile.Healthy, 101, 1, Start, TimeSpan.FromSeconds(1)));
    }

    private static double StdDev(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / list.Count);
    }

    private static double Median(List<Sample> s)
    {
        var l = s.Select(x => x.LatencyMs).Order().ToList();
        return l[l.Count / 2];
    }
}
