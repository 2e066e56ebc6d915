namespace CanarySim.Core.Routing;

/// <summary>The outcome of running one request through <see cref="CanaryExecutor"/>.</summary>
public sealed record CanaryRunResult
{
    /// <summary>The answer returned to the caller.</summary>
    public required EngineResponse Served { get; init; }

    /// <summary>The route decision.</summary>
    public required RouteDecision Decision { get; init; }

    /// <summary>The engine whose answer was served (v1 on a fallback even though v2 was selected).</summary>
    public Engine ServedBy => Served.Engine;

    /// <summary>True when v2 was selected, failed, and v1 served (counted as a fallback).</summary>
    public bool Fallback { get; init; }

    /// <summary>Why v2 failed when <see cref="Fallback"/>: <c>timeout</c>, <c>invalid_output</c> or <c>exception</c>.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>The v1-vs-v2 diff in shadow mode, when the shadow answered within its budget.</summary>
    public DecisionDiff? Diff { get; init; }

    /// <summary>The shadow's outcome in shadow mode: <c>ok</c>, <c>timeout</c>, <c>invalid_output</c>, <c>exception</c>; null otherwise.</summary>
    public string? ShadowOutcome { get; init; }

    /// <summary>Time from start until the served answer was ready (including waiting for the shadow, at most its budget).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>How long the serving engine took.</summary>
    public TimeSpan ServedLatency { get; init; }

    /// <summary>How long the shadow took (or until its budget ran out), in shadow mode.</summary>
    public TimeSpan? ShadowLatency { get; init; }
}
