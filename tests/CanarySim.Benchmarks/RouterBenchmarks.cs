using BenchmarkDotNet.Attributes;
using CanarySim.Core.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace CanarySim.Benchmarks;

/// <summary>
/// One routing decision (issue 2 target: zero allocations, under 50 ns with the default algorithm),
/// side by side with Microsoft.FeatureManagement 4.7.0's targeting evaluation for the same keys
/// (the baseline: the peer a .NET user would otherwise pick).
/// Run: dotnet run -c Release --project tests/CanarySim.Benchmarks -- --filter '*Router*' --job short
/// </summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private const int KeyCount = 1024;
    private const string Feature = "planner-v2";
    private string[] _keys = [];
    private TargetingContext[] _contexts = [];
    private CanaryRouter _router = null!;
    private CanaryRouter _fmRouter = null!;
    private ContextualTargetingFilter _filter = null!;
    private FeatureFilterEvaluationContext _filterContext = null!;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _keys = [.. Enumerable.Range(0, KeyCount).Select(_ => $"session-{random.Next():x8}-{random.Next():x8}")];
        _contexts = [.. _keys.Select(k => new TargetingContext { UserId = k })];
        var settings = new RouterSettings { Mode = RouterMode.Canary, CanaryPct = 25, Salt = Feature, Phase = "phase8" };
        _router = new CanaryRouter(new LiveSettings(settings));
        _fmRouter = new CanaryRouter(new LiveSettings(settings), new RouterOptions { Algorithm = BucketingAlgorithm.FeatureManagement });
        _filter = new ContextualTargetingFilter(Options.Create(new TargetingEvaluationOptions()), NullLoggerFactory.Instance);
        _filterContext = new FeatureFilterEvaluationContext
        {
            FeatureName = Feature,
            Settings = new TargetingFilterSettings { Audience = new Audience { DefaultRolloutPercentage = 25 } },
        };
    }

    [Benchmark(Description = "CanaryRouter.Route (canarysim)")]
    public Engine RouteDefault() => _router.Route(new RouteRequest(_keys[_i++ & (KeyCount - 1)])).Selected;

    [Benchmark(Description = "CanaryRouter.Route (featuremanagement algorithm)")]
    public Engine RouteFeatureManagementAlgorithm() => _fmRouter.Route(new RouteRequest(_keys[_i++ & (KeyCount - 1)])).Selected;

    [Benchmark(Baseline = true, Description = "Microsoft.FeatureManagement 4.7.0 ContextualTargetingFilter")]
    public bool FeatureManagementTargeting() =>
        _filter.EvaluateAsync(_filterContext, _contexts[_i++ & (KeyCount - 1)]).GetAwaiter().GetResult();
}
