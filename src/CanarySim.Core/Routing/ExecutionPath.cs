namespace CanarySim.Core.Routing;

/// <summary>
/// Which engines a route decision runs (<see cref="RouteDecision.Path"/> is the one place the choice is made); who answers once
/// v2's run is known is <see cref="ExecutionOutcome.Resolve"/>. <see cref="CanaryExecutor"/> follows both with real engines,
/// the simulator with drawn runs.
/// </summary>
public enum ExecutionPath
{
    /// <summary>Only v1 runs, and answers.</summary>
    V1,

    /// <summary>v2 runs and answers; when it fails (error, timeout, invalid output) v1 runs and answers instead, counted as a fallback.</summary>
    V2WithFallback,

    /// <summary>v1 runs and answers; v2 runs beside it as a shadow whose failure never changes the answer, and the two decisions are diffed when v2 answered.</summary>
    V1WithShadow,
}
