using CanarySim.Harness.Scenarios;
using CanarySim.Core.Audit;
using CanarySim.Harness.Engines;

namespace CanarySim.Core.Tests.Rollout;

// Real router, executor and rollback controller over in-memory stores, with fake engines (the outside world).
internal sealed class RolloutTestRig
{
    public RolloutTestRig(RouterSettings? initial = null, Func<EngineRequest, EngineResponse>? v1 = null)
    {
        Live = new LiveSettings(initial ?? new RouterSettings { Mode = RouterMode.Canary, CanaryPct = 50 });
        Controller = new RollbackController(Live, new InMemorySettingsStore(), Audit, Time);
        Router = new CanaryRouter(Live, new RouterOptions { TimeProvider = Time });
        V1 = v1 is null ? new FakeEngine(Engine.V1) : new FakeEngine(Engine.V1, v1);
        Executor = new CanaryExecutor(Router, V1, V2);
    }

    public FakeTimeProvider Time { get; } = new(ScenarioWorld.DefaultStart);
    public LiveSettings Live { get; }
    public InMemoryAuditLog Audit { get; } = new();
    public RollbackController Controller { get; }
    public CanaryRouter Router { get; }
    public FakeEngine V1 { get; }
    public FakeEngine V2 { get; } = new(Engine.V2);
    public CanaryExecutor Executor { get; }

    public static CanaryRunResult Run(Engine served, bool shadow = false, string? shadowOutcome = null, bool fallback = false, double latencyMs = 100, double servedMs = 100, double? shadowMs = null) => new()
    {
        Served = new EngineResponse { Engine = served },
        Decision = new RouteDecision(fallback ? Engine.V2 : served, shadow ? RouteReason.Shadow : RouteReason.Canary, 10, 50, false,
            shadow ? RouterMode.Shadow : RouterMode.Canary, "", false, shadow, BucketingAlgorithm.CanarySim),
        Fallback = fallback,
        FallbackReason = fallback ? "exception" : null,
        ShadowOutcome = shadowOutcome,
        Latency = TimeSpan.FromMilliseconds(latencyMs),
        ServedLatency = TimeSpan.FromMilliseconds(servedMs),
        ShadowLatency = shadowMs is { } s ? TimeSpan.FromMilliseconds(s) : null,
    };
}
