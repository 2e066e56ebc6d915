using BenchmarkDotNet.Attributes;
using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;

namespace CanarySim.Benchmarks;

/// <summary>
/// SPEC §2 performance targets: evaluating a 1 000 000-sample window (streaming order-statistic
/// windows against a naive sort-per-evaluation baseline, in the same run), and the time from a
/// breaching evaluation to the router serving v1 (detector evaluation + rollback + the router's
/// next decision reading the swapped LiveSettings).
/// Run: dotnet run -c Release --project tests/CanarySim.Benchmarks -- --filter '*Detector*' --job short
/// </summary>
[MemoryDiagnoser]
public class DetectorBenchmarks
{
    private const int Window = 1_000_000;
    private static readonly DateTimeOffset T0 = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = new(T0);
    private RegressionDetector _detector = null!;
    private InMemoryMetricsStore _store = null!;
    private Sample[] _naiveWindow = [];
    private double[] _scratch = [];
    private int _next;
    private InMemoryMetricsStore _breaching = null!;

    /// <summary>1 000 000 samples per engine in a 1 000 000-run window, and a small breaching store.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(17);
        _store = new InMemoryMetricsStore(_clock);
        _naiveWindow = new Sample[Window];
        for (var i = 0; i < Window; i++)
        {
            _store.Add(Make(Engine.V1, rng));
            var v2 = Make(Engine.V2, rng);
            _store.Add(v2);
            _naiveWindow[i] = v2;
        }
        _scratch = new double[Window];
        _detector = new RegressionDetector(_store, new DetectorOptions { WindowRuns = Window }, _clock);
        _detector.Evaluate(); // builds the streaming windows once

        _breaching = new InMemoryMetricsStore(_clock);
        for (var i = 0; i < 100; i++)
        {
            _breaching.Add(new Sample { Engine = Engine.V1, At = T0, LatencyMs = 800, Quality = 95, CostCents = 1 });
            _breaching.Add(new Sample { Engine = Engine.V2, At = T0, LatencyMs = 800, Quality = 82, CostCents = 1 });
        }
    }

    private static Sample Make(Engine engine, Random rng) => new()
    {
        Engine = engine, At = T0, LatencyMs = 300 + rng.Next(0, 2000) + rng.Next(0, 10) / 10.0, Quality = 80 + rng.Next(0, 20), CostCents = rng.Next(50, 300) / 100.0,
        Error = rng.Next(100) < 2,
    };

    /// <summary>One new v2 sample (evicting the oldest) and a full evaluation over the 1 000 000-run windows.</summary>
    [Benchmark]
    public Verdict Streaming_add_and_evaluate_1M_window()
    {
        _store.Add(new Sample { Engine = Engine.V2, At = T0, LatencyMs = 300 + (_next++ % 2000), Quality = 90, CostCents = 1.2 });
        return _detector.Evaluate();
    }

    /// <summary>Baseline: the same new sample, then copy and sort the 1 000 000 latencies and sum the window.</summary>
    [Benchmark(Baseline = true)]
    public double Naive_sort_per_evaluation_1M_window()
    {
        _naiveWindow[_next++ % Window] = new Sample { Engine = Engine.V2, At = T0, LatencyMs = 300 + (_next % 2000), Quality = 90, CostCents = 1.2 };
        double quality = 0, cost = 0;
        var errors = 0;
        for (var i = 0; i < _naiveWindow.Length; i++)
        {
            var s = _naiveWindow[i];
            _scratch[i] = s.LatencyMs;
            quality += s.Quality;
            cost += s.CostCents;
            errors += s.Error ? 1 : 0;
        }
        Array.Sort(_scratch);
        var n = _scratch.Length;
        return _scratch[WindowAggregates.NearestRank(50, n) - 1] + _scratch[WindowAggregates.NearestRank(95, n) - 1] + _scratch[WindowAggregates.NearestRank(99, n) - 1]
            + quality / n + cost / n + (double)errors / n;
    }

    /// <summary>From the breaching evaluation to the router's next decision serving v1: evaluate, act, route.</summary>
    [Benchmark]
    public Engine Breach_to_router_serving_v1()
    {
        var live = new LiveSettings(RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 100 });
        var audit = new InMemoryAuditLog();
        var guard = new CanaryGuard(_breaching, live, new InMemorySettingsStore(), audit, null, _clock);
        var router = new CanaryRouter(live);
        guard.EvaluateAndAct();
        var decision = router.Route(new RouteRequest("session-1"));
        return decision.Selected == Engine.V1 && live.Current.KillSwitch ? decision.Selected : throw new InvalidOperationException("not rolled back");
    }
}
