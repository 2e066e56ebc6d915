using CanarySim.Core.Routing;

namespace CanarySim.Harness.Engines;

/// <summary>
/// An in-process stand-in for an engine (the outside world), for fast rehearsals without HTTP:
/// answers with a fixed plan or a function of the request, or fails on demand. Counts calls.
/// </summary>
public sealed class FakeEngine : IEngine
{
    private readonly Func<EngineRequest, EngineResponse> _answer;
    private int _calls;

    /// <summary>An engine answering every request with the plan (<paramref name="agent"/>, <paramref name="steps"/>).</summary>
    public FakeEngine(Engine version, string agent = "inbox_triage", params string[] steps)
        : this(version, _ => new EngineResponse { Engine = version, Agent = agent, Steps = steps, Body = "{}" })
    {
    }

    /// <summary>An engine answering with <paramref name="answer"/>.</summary>
    public FakeEngine(Engine version, Func<EngineRequest, EngineResponse> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        Version = version;
        _answer = answer;
    }

    /// <inheritdoc />
    public Engine Version { get; }

    /// <summary>When set, every call throws this instead of answering.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Number of calls received.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <inheritdoc />
    public Task<EngineResponse> HandleAsync(EngineRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        cancellationToken.ThrowIfCancellationRequested();
        return Failure is { } f ? Task.FromException<EngineResponse>(f) : Task.FromResult(_answer(request));
    }
}
