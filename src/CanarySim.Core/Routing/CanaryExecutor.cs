namespace CanarySim.Core.Routing;

/// <summary>
/// Runs a request on the engines its route decision's <see cref="ExecutionPath"/> names. Shadow mode runs v1 and v2 concurrently,
/// returns v1's answer and waits for v2 at most <see cref="RouterOptions.ShadowTimeout"/> from the
/// start (a slow or failing shadow never changes the answer nor adds more than its budget). When v2
/// serves and fails (exception, <see cref="RouterOptions.V2Timeout"/>, invalid output) v1 serves
/// instead and the run counts as a fallback.
/// </summary>
public sealed class CanaryExecutor
{
    private readonly CanaryRouter _router;
    private readonly IEngine _v1;
    private readonly IEngine _v2;
    private readonly RouterMetrics? _metrics;
    private readonly RouterOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates an executor. Timeouts, diff dimensions and the clock come from the router's options.</summary>
    public CanaryExecutor(CanaryRouter router, IEngine v1, IEngine v2, RouterMetrics? metrics = null)
    {
        _router = router ?? throw new ArgumentNullException(nameof(router));
        _v1 = v1 ?? throw new ArgumentNullException(nameof(v1));
        _v2 = v2 ?? throw new ArgumentNullException(nameof(v2));
        if (v1.Version != Engine.V1 || v2.Version != Engine.V2)
        {
            throw new ArgumentException($"expected engines v1 and v2, got {WireName.Of(v1.Version)} and {WireName.Of(v2.Version)}.");
        }
        _metrics = metrics;
        _options = router.Options;
        _time = _options.TimeProvider;
    }

    /// <summary>Routes and runs one request.</summary>
    public Task<CanaryRunResult> RunAsync(EngineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decision = _router.Route(RouteRequest.From(request));
        return RunAsync(request, decision, cancellationToken);
    }

    /// <summary>Runs one request for an already made decision.</summary>
    public async Task<CanaryRunResult> RunAsync(EngineRequest request, RouteDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = _time.GetTimestamp();
        var path = decision.Path;
        if (path == ExecutionPath.V1WithShadow)
        {
            return await RunShadowAsync(request, decision, start, cancellationToken).ConfigureAwait(false);
        }
        if (path == ExecutionPath.V1)
        {
            var served = await _v1.HandleAsync(request, cancellationToken).ConfigureAwait(false);
            var elapsed = _time.GetElapsedTime(start);
            return new CanaryRunResult { Served = served, Decision = decision, Latency = elapsed, ServedLatency = elapsed };
        }

        var (v2Answer, failure) = await TryRunAsync(_v2, request, _options.V2Timeout, cancellationToken).ConfigureAwait(false);
        if (!ExecutionOutcome.Resolve(path, v2Failed: v2Answer is null).Fallback)
        {
            var elapsed = _time.GetElapsedTime(start);
            return new CanaryRunResult { Served = v2Answer!, Decision = decision, Latency = elapsed, ServedLatency = elapsed };
        }

        // v2 failed, so v1 answers, counted as a fallback.
        _metrics?.RecordFallback();
        var fallbackStart = _time.GetTimestamp();
        var v1Answer = await _v1.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        return new CanaryRunResult
        {
            Served = v1Answer,
            Decision = decision,
            Fallback = true,
            FallbackReason = failure,
            Latency = _time.GetElapsedTime(start),
            ServedLatency = _time.GetElapsedTime(fallbackStart),
        };
    }

    private async Task<CanaryRunResult> RunShadowAsync(EngineRequest request, RouteDecision decision, long start, CancellationToken cancellationToken)
    {
        // Both start now; the shadow's budget runs from the same start, so it bounds the added latency.
        var shadow = TimedAsync(_v2, request, _options.ShadowTimeout, cancellationToken);
        EngineResponse primary;
        try
        {
            primary = await _v1.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _ = shadow.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        var servedLatency = _time.GetElapsedTime(start);
        var (shadowAnswer, failure, shadowLatency) = await shadow.ConfigureAwait(false);
        DecisionDiff? diff = null;
        if (!ExecutionOutcome.Resolve(decision.Path, v2Failed: shadowAnswer is null).ShadowFailed)
        {
            diff = DecisionDiff.Compare(primary, shadowAnswer!, _options.DiffDimensions);
            _metrics?.RecordDiff(diff.AgentV1, diff.AgentV2, diff.AnyChange);
        }
        else
        {
            _metrics?.RecordShadowFailure();
        }
        return new CanaryRunResult
        {
            Served = primary,
            Decision = decision,
            Diff = diff,
            ShadowOutcome = failure ?? "ok",
            Latency = _time.GetElapsedTime(start),
            ServedLatency = servedLatency,
            ShadowLatency = shadowLatency,
        };
    }

    private async Task<(EngineResponse? Answer, string? Failure, TimeSpan Elapsed)> TimedAsync(IEngine engine, EngineRequest request, TimeSpan budget, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var (answer, failure) = await TryRunAsync(engine, request, budget, cancellationToken).ConfigureAwait(false);
        return (answer, failure, _time.GetElapsedTime(start));
    }

    // Runs one engine under a budget; never throws for engine failures (only for the caller's own cancellation).
    private async Task<(EngineResponse? Answer, string? Failure)> TryRunAsync(IEngine engine, EngineRequest request, TimeSpan budget, CancellationToken cancellationToken)
    {
        // The budget's timer runs on the injected clock, so virtual time drives it in simulations.
        using var timeout = new CancellationTokenSource(budget, _time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Task<EngineResponse> call;
        try
        {
            call = engine.HandleAsync(request, cts.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, Classify(ex));
        }
        try
        {
            // WaitAsync bounds the wait even for an engine that ignores its token.
            var answer = await call.WaitAsync(budget, _time, cancellationToken).ConfigureAwait(false);
            if (answer is null || answer.Engine != engine.Version)
            {
                return (null, "invalid_output");
            }
            return (answer, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            cts.Cancel();
            ObserveLater(call);
            return (null, Classify(ex));
        }
    }

    private static string Classify(Exception ex) => ex switch
    {
        InvalidEngineOutputException => "invalid_output",
        TimeoutException or OperationCanceledException => "timeout",
        _ => "exception",
    };

    private static void ObserveLater(Task task)
    {
        if (!task.IsCompleted)
        {
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else
        {
            _ = task.Exception;
        }
    }
}
