using BenchmarkDotNet.Attributes;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using Microsoft.Extensions.Time.Testing;

namespace CanarySim.Benchmarks;

/// <summary>
/// Twenty declared checks over a 1 000 000-run window (target: one evaluation under 10 ms): every percentile of
/// latency, means, drops, ratios, rates and counts of fixed fields, custom metrics (<c>llm_call</c>,
/// <c>tool_calls</c>, <c>staff_response_ms</c>, <c>satisfaction</c>) with and without a <c>where</c> on a tag, a
/// v1 check and two time windows — after one new run of each engine. 1 000 000 runs per engine are recorded first
/// (metric and tag maps shared between runs to keep the set-up's memory small).
/// Run: dotnet run -c Release --project tests/CanarySim.Benchmarks -- --filter '*DeclaredChecks*' --job short (add --inProcess on a loaded machine)
/// </summary>
[MemoryDiagnoser]
public class DeclaredChecksBenchmarks
{
    private const int Window = 1_000_000;
    private static readonly DateTimeOffset T0 = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);

    private const string Policy = """
        {
          "schema": "canarysim.policy/v2",
          "window": {"runs": 1000000},
          "min_samples": 30,
          "checks": [
            {"name": "latency_p50", "metric": "latency_ms", "aggregate": "p50", "max": 100000, "action": "rollback"},
            {"name": "latency_p90", "metric": "latency_ms", "aggregate": "p90", "max": 100000, "action": "rollback"},
            {"name": "latency_p95", "metric": "latency_ms", "aggregate": "p95", "max": 100000, "action": "rollback"},
            {"name": "latency_p99", "metric": "latency_ms", "aggregate": "p99", "max": 100000, "action": "rollback"},
            {"name": "latency_v1", "metric": "latency_ms", "aggregate": "p95", "engine": "v1", "max": 100000, "action": "hold"},
            {"name": "quality", "metric": "quality", "aggregate": "mean", "compare": "drop", "max": 50, "action": "rollback"},
            {"name": "cost", "metric": "cost_cents", "aggregate": "mean", "max": 100, "action": "rollback"},
            {"name": "cost_ratio", "metric": "cost_cents", "aggregate": "mean", "compare": "ratio", "max": 10, "action": "pause"},
            {"name": "error_rate", "metric": "error", "aggregate": "rate", "max": 0.5, "action": "rollback"},
            {"name": "error_rate_5m", "metric": "error", "aggregate": "rate", "max": 0.5, "window": {"duration": "5m"}, "min_samples": 0, "action": "rollback"},
            {"name": "fallback_rate", "metric": "fallback", "aggregate": "rate", "max": 0.5, "window": {"runs": 20}, "action": "rollback"},
            {"name": "violations", "metric": "policy_violation", "aggregate": "count", "max": 1000000, "min_samples": 0, "action": "rollback"},
            {"name": "complaints", "metric": "complaint", "aggregate": "per_hour", "max": 1000000, "window": {"duration": "1h"}, "action": "manual_review"},
            {"name": "tokens", "metric": "tokens", "aggregate": "max", "max": 100000, "action": "pause"},
            {"name": "llm_rate_sick_caller", "metric": "llm_call", "aggregate": "rate", "where": {"agent": "SICK_CALLER"}, "max": 0.9, "action": "rollback"},
            {"name": "anomalies", "metric": "anomaly", "aggregate": "count", "max": 1000000, "min_samples": 0, "action": "rollback"},
            {"name": "tool_calls_max", "metric": "tool_calls", "aggregate": "max", "max": 1000, "action": "pause"},
            {"name": "tool_calls_p95", "metric": "tool_calls", "aggregate": "p95", "where": {"region": "eu"}, "max": 1000, "action": "pause"},
            {"name": "staff_response", "metric": "staff_response_ms", "aggregate": "p50", "compare": "ratio", "max": 10, "action": "hold"},
            {"name": "satisfaction", "metric": "satisfaction", "aggregate": "mean", "compare": "drop", "max": 5, "action": "hold"}
          ]
        }
        """;

    private readonly FakeTimeProvider _clock = new(T0);
    private InMemoryMetricsStore _store = null!;
    private RegressionDetector _detector = null!;
    private IReadOnlyDictionary<string, double>[] _metrics = [];
    private IReadOnlyDictionary<string, string>[] _tags = [];
    private Random _random = null!;

    /// <summary>1 000 000 runs per engine, then one evaluation so every window exists (as after a service's first evaluation).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _random = new Random(23);
        _metrics = Enumerable.Range(0, 16).Select(i => (IReadOnlyDictionary<string, double>)new Dictionary<string, double>
        {
            ["llm_call"] = i % 3 == 0 ? 1 : 0, ["anomaly"] = i == 7 ? 1 : 0, ["tool_calls"] = i % 5, ["staff_response_ms"] = 20_000 + 700 * i, ["satisfaction"] = 3 + i % 3,
        }).ToArray();
        _tags = [new Dictionary<string, string> { ["region"] = "eu" }, new Dictionary<string, string> { ["region"] = "us" }];
        _store = new InMemoryMetricsStore(_clock, retainPerEngine: Window + 1000);
        var samples = new Sample[2];
        for (var i = 0; i < Window; i++)
        {
            samples[0] = Make(Engine.V1);
            samples[1] = Make(Engine.V2);
            _store.AddRange(samples.AsSpan());
            if (i % 1000 == 999)
            {
                _clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
        _detector = new RegressionDetector(_store, PolicyLoader.Parse(Policy, "twenty-checks.json"), _clock);
        if (_detector.Checks.Count != 20)
        {
            throw new InvalidOperationException($"expected 20 checks, got {_detector.Checks.Count}");
        }
        _detector.Evaluate();
    }

    private Sample Make(Engine engine) => new()
    {
        Engine = engine, At = _clock.GetUtcNow(), LatencyMs = 300 + _random.Next(0, 2000), Quality = 80 + _random.Next(0, 20),
        CostCents = _random.Next(50, 300) / 100.0, Error = _random.Next(100) < 2, Fallback = _random.Next(100) < 3, Tokens = _random.Next(100, 4000),
        Agent = _random.Next(4) == 0 ? "SICK_CALLER" : "STOCK_CHECKER",
        Metrics = _metrics[_random.Next(_metrics.Length)], Tags = _tags[_random.Next(_tags.Length)],
    };

    /// <summary>One new run per engine (evicting the oldest), then the twenty checks.</summary>
    [Benchmark]
    public Verdict Twenty_checks_1M_window()
    {
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        _store.Add(Make(Engine.V1));
        _store.Add(Make(Engine.V2));
        return _detector.Evaluate();
    }
}
