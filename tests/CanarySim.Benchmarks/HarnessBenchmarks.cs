using BenchmarkDotNet.Attributes;
using CanarySim.Core.Routing;
using CanarySim.Harness.Scenarios;
using CanarySim.Harness.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace CanarySim.Benchmarks;

/// <summary>Synthetic load generation: samples and requests per second, and virtual-time timer throughput.</summary>
[MemoryDiagnoser]
public class HarnessBenchmarks
{
    private static readonly DateTimeOffset Start = ScenarioWorld.DefaultStart;

    /// <summary>One million v2 samples from a seeded generator.</summary>
    [Benchmark]
    public int Generate_1M_samples()
    {
        var n = 0;
        foreach (var s in new SampleGenerator(1).Generate(Engine.V2, SampleProfile.Healthy, 1_000_000, Start, TimeSpan.FromMilliseconds(100)))
        {
            n += s.Error ? 1 : 0;
        }
        return n;
    }

    /// <summary>100 000 synthetic requests (Bogus, one Faker per run).</summary>
    [Benchmark]
    public int Generate_100k_requests() => Traffic.Synthetic(1).Requests(100_000).Count();

    /// <summary>10 000 timers fired by advancing the fake clock.</summary>
    [Benchmark]
    public int Fire_10k_fake_timers()
    {
        var time = new FakeTimeProvider(Start);
        var fired = 0;
        for (var i = 0; i < 10_000; i++)
        {
            time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(i % 600), Timeout.InfiniteTimeSpan);
        }
        time.Advance(TimeSpan.FromHours(1));
        return fired;
    }
}
