namespace CanarySim.Core.Tests.Routing;

/// <summary>A stand-in for an outside engine: answers, throws, or never answers (ignoring its token).</summary>
internal sealed class FakeEngine(Engine version, Func<EngineRequest, CancellationToken, Task<EngineResponse>> handler) : IEngine
{
    public int Calls;

    public Engine Version => version;

    public Task<EngineResponse> HandleAsync(EngineRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        return handler(request, cancellationToken);
    }

    public static FakeEngine Answering(Engine version, string agent = "planner", bool dryRun = false, params string[] steps) =>
        new(version, (_, _) => Task.FromResult(new EngineResponse { Engine = version, Agent = agent, Steps = steps, Tools = ["search"], DryRun = dryRun, Body = $"{{\"from\":\"{WireName.Of(version)}\"}}" }));

    public static FakeEngine Never(Engine version) => new(version, (_, _) => new TaskCompletionSource<EngineResponse>().Task);

    public static FakeEngine Throwing(Engine version, Exception ex) => new(version, (_, _) => Task.FromException<EngineResponse>(ex));

    public static FakeEngine AnsweringAfter(Engine version, TimeSpan delay, TimeProvider time) =>
        new(version, async (_, _) =>
        {
            await Task.Delay(delay, time, CancellationToken.None);
            return new EngineResponse { Engine = version, Agent = "planner" };
        });
}
