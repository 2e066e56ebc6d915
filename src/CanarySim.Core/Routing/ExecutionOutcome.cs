namespace CanarySim.Core.Routing;

/// <summary>
/// What the executor does with a route decision once v2's run is known (<see cref="Resolve"/>): who answers, whether
/// the answer is a fallback, whether a shadow failed. The one statement of the executor's rules: <see cref="CanaryExecutor"/>
/// follows it with real engines, the simulator with drawn runs, neither with rules of its own.
/// </summary>
/// <param name="ServedBy">The engine whose answer is returned (v1 also when it covers a failed v2).</param>
/// <param name="Fallback">v2 was to answer and failed, so v1 answered instead.</param>
/// <param name="ShadowFailed">v2 ran as a shadow and failed; the answer is v1's all the same, and there is nothing to diff.</param>
public readonly record struct ExecutionOutcome(Engine ServedBy, bool Fallback, bool ShadowFailed)
{
    /// <summary>v1 ran: it answers on every path but a v2 that succeeded.</summary>
    public bool V1Ran => ServedBy == Engine.V1;

    /// <summary>
    /// The executor's rules for <paramref name="path"/>: <see cref="ExecutionPath.V1"/> is v1's answer;
    /// <see cref="ExecutionPath.V2WithFallback"/> is v2's answer, or v1's as a fallback when v2 failed (an error, a timeout,
    /// invalid output, or no answer at all); <see cref="ExecutionPath.V1WithShadow"/> is v1's answer, with the shadow failed
    /// when v2 failed. <paramref name="v2Failed"/> is ignored on <see cref="ExecutionPath.V1"/> (v2 does not run).
    /// </summary>
    public static ExecutionOutcome Resolve(ExecutionPath path, bool v2Failed) => path switch
    {
        ExecutionPath.V1 => new(Engine.V1, false, false),
        ExecutionPath.V1WithShadow => new(Engine.V1, false, v2Failed),
        ExecutionPath.V2WithFallback => v2Failed ? new(Engine.V1, true, false) : new(Engine.V2, false, false),
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "not an execution path"),
    };
}
