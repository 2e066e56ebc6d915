using BenchmarkDotNet.Attributes;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using Microsoft.Extensions.Time.Testing;

namespace CanarySim.Benchmarks;

/// <summary>
/// The detector at a simulator's cadence — the default policy's 100-run window, two v1 runs and one v2 run
/// arriving, the clock moving 2 minutes, one evaluation — for the frozen pre-declared-checks detector
/// (<see cref="LegacyDetector"/>, the baseline) and today's detector with the declared default policy
/// (fixtures/policies/default.json) and with the flat built-in options. The ratio column is the comparison the
/// analysis-as-data issue asks for; run all three in one run.
/// Run: dotnet run -c Release --project tests/CanarySim.Benchmarks -- --filter '*DetectorCost*' --job short (add --inProcess on a loaded machine, where BenchmarkDotNet's rebuild of the project times out)
/// </summary>
[MemoryDiagnoser]
public class DetectorCostBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);
    private FakeTimeProvider _clock = null!;
    private InMemoryMetricsStore _store = null!;
    private LegacyDetector _legacy = null!;
    private RegressionDetector _declared = null!;
    private RegressionDetector _flat = null!;
    private Random _random = null!;

    /// <summary>10 000 runs of each engine already recorded, so every window is full.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _clock = new FakeTimeProvider(T0);
        _store = new InMemoryMetricsStore(_clock);
        _random = new Random(11);
        for (var i = 0; i < 10_000; i++)
        {
            Arrive();
        }
        _legacy = new LegacyDetector(_store, new DetectorOptions(), _clock);
        _declared = new RegressionDetector(_store, PolicyLoader.Parse(PolicyLoader.DefaultPolicyJson, "default.json"), _clock);
        _flat = new RegressionDetector(_store, new DetectorOptions(), _clock);
    }

    private void Arrive()
    {
        _clock.Advance(TimeSpan.FromMinutes(2));
        var now = _clock.GetUtcNow();
        for (var k = 0; k < 3; k++)
        {
            _store.Add(new Sample
            {
                Engine = k == 2 ? Engine.V2 : Engine.V1, At = now, LatencyMs = 300 + _random.Next(0, 1200), Quality = 88 + _random.Next(0, 10),
                CostCents = 1 + _random.Next(0, 100) / 100.0, Error = _random.Next(100) < 2, Fallback = _random.Next(100) < 3, Complaint = _random.Next(500) == 0,
            });
        }
    }

    /// <summary>Baseline: the ten fixed code paths.</summary>
    [Benchmark(Baseline = true)]
    public Verdict Legacy_fixed_checks()
    {
        Arrive();
        return _legacy.Evaluate();
    }

    /// <summary>The declared default policy (default.json).</summary>
    [Benchmark]
    public Verdict Declared_default_policy()
    {
        Arrive();
        return _declared.Evaluate();
    }

    /// <summary>The flat built-in options, converted to the same declared checks.</summary>
    [Benchmark]
    public Verdict Built_in_options()
    {
        Arrive();
        return _flat.Evaluate();
    }
}
