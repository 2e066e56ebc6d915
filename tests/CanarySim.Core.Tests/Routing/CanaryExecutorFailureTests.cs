using System.Runtime.CompilerServices;

namespace CanarySim.Core.Tests.Routing;

/// <summary>
/// How the executor treats an engine that fails in the ways real clients do: throwing before it returns a task,
/// running past its budget, failing after the executor stopped waiting.
/// </summary>
public sealed class CanaryExecutorFailureTests
{
    private static readonly EngineRequest Request = new("session-1", "user-1", null, "{}");
    private static readonly TimeSpan V2Timeout = TimeSpan.FromSeconds(5);

    private static CanaryExecutor Build(RouterSettings settings, IEngine v1, IEngine v2, ManualTimeProvider time, RouterMetrics? metrics = null)
    {
        var options = new RouterOptions { TimeProvider = time, ShadowTimeout = TimeSpan.FromMilliseconds(1600), V2Timeout = V2Timeout };
        return new CanaryExecutor(new CanaryRouter(new LiveSettings(settings), options, metrics), v1, v2, metrics);
    }

    private static readonly RouterSettings AllV2 = new() { Mode = RouterMode.Candidate };
    private static readonly RouterSettings Shadow = new() { Mode = RouterMode.Shadow };

    private static Task<T> Guard<T>(Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(30));

    private static Exception Failure(string kind) => kind switch
    {
        "exception" => new HttpRequestException("connection refused"),
        "invalid_output" => new InvalidEngineOutputException("missing 'agent'"),
        "timeout" => new TimeoutException("read timed out"),
        _ => new OperationCanceledException("the client gave up"),
    };

    /// <summary>An engine whose call throws before it returns a task (a client that validates or connects synchronously).</summary>
    private static FakeEngine ThrowingAtOnce(Engine version, Exception ex) => new(version, (_, _) => throw ex);

    [TestCase("exception", "exception")]
    [TestCase("invalid_output", "invalid_output")]
    [TestCase("timeout", "timeout")]
    [TestCase("cancelled", "timeout")]
    public async Task A_v2_that_throws_before_returning_a_task_falls_back_to_v1_with_the_failure_classified(string thrown, string reason)
    {
        var time = new ManualTimeProvider();
        var metrics = new RouterMetrics();
        var executor = Build(AllV2, FakeEngine.Answering(Engine.V1), ThrowingAtOnce(Engine.V2, Failure(thrown)), time, metrics);
        var result = await Guard(executor.RunAsync(Request));
        Assert.Multiple(() =>
        {
            Assert.That(result.ServedBy, Is.EqualTo(Engine.V1));
            Assert.That((result.Fallback, result.FallbackReason), Is.EqualTo((true, reason)));
            Assert.That(metrics.Fallbacks, Is.EqualTo(1));
        });
    }

    [TestCase("exception", "exception")]
    [TestCase("invalid_output", "invalid_output")]
    [TestCase("timeout", "timeout")]
    public async Task A_shadow_that_throws_before_returning_a_task_never_changes_the_answer(string thrown, string outcome)
    {
        var time = new ManualTimeProvider();
        var metrics = new RouterMetrics();
        var executor = Build(Shadow, FakeEngine.Answering(Engine.V1), ThrowingAtOnce(Engine.V2, Failure(thrown)), time, metrics);
        var result = await Guard(executor.RunAsync(Request));
        Assert.Multiple(() =>
        {
            Assert.That(result.Served.Body, Is.EqualTo("{\"from\":\"v1\"}"));
            Assert.That(result.ShadowOutcome, Is.EqualTo(outcome));
            Assert.That(metrics.ShadowFailures, Is.EqualTo(1));
        });
    }

    [Test]
    public void The_callers_own_cancellation_is_not_a_fallback_even_when_the_engine_throws_at_once()
    {
        var time = new ManualTimeProvider();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var v2 = new FakeEngine(Engine.V2, (_, token) => { token.ThrowIfCancellationRequested(); throw new InvalidOperationException("unreachable"); });
        var executor = Build(AllV2, FakeEngine.Answering(Engine.V1), v2, time);
        Assert.That(async () => await Guard(executor.RunAsync(Request, cancelled.Token)), Throws.InstanceOf<OperationCanceledException>());
    }

    /// <summary>An engine that never answers on its own; records the token it was given.</summary>
    private sealed class HangingEngine(Engine version, Action<CancellationToken, TaskCompletionSource<EngineResponse>>? onCall = null) : IEngine
    {
        public CancellationToken Token { get; private set; }

        public TaskCompletionSource<EngineResponse>? Pending { get; private set; }

        public Engine Version => version;

        public Task<EngineResponse> HandleAsync(EngineRequest request, CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            Pending = new TaskCompletionSource<EngineResponse>();
            onCall?.Invoke(cancellationToken, Pending);
            return Pending.Task;
        }
    }

    // The executor bounds v2 twice with the same budget on the same clock: a token for the engine, and its own
    // bounded wait. Timers due at the same instant fire in no promised order; when the wait's fires first, the
    // executor must still tell the engine to stop (after it returns, the budget's own timer is gone).
    [Test]
    public async Task When_v2_runs_out_of_its_budget_its_token_is_cancelled_whichever_timer_fires_first()
    {
        foreach (var waitFirst in new[] { false, true })
        {
            var time = new ManualTimeProvider();
            var v2 = new HangingEngine(Engine.V2);
            var executor = Build(AllV2, FakeEngine.Answering(Engine.V1), v2, time);
            var run = executor.RunAsync(Request);
            time.Advance(V2Timeout - TimeSpan.FromTicks(1));
            Assert.That(v2.Token.IsCancellationRequested, Is.False, "within its budget");
            if (waitFirst)
            {
                time.AdvanceFiringNewestOnly(TimeSpan.FromTicks(1));
            }
            else
            {
                time.Advance(TimeSpan.FromTicks(1));
            }
            var result = await Guard(run);
            Assert.Multiple(() =>
            {
                Assert.That((result.ServedBy, result.FallbackReason), Is.EqualTo((Engine.V1, "timeout")), waitFirst ? "wait first" : "token first");
                Assert.That(v2.Token.IsCancellationRequested, Is.True, waitFirst ? "the engine is told to stop (wait first)" : "the engine is told to stop (token first)");
            });
        }
    }

    // A v2 call the executor stopped waiting for may still fail; that failure must be observed, or it surfaces as an
    // unobserved task exception (which a host may treat as fatal) when the task is collected.
    [TestCase(false, TestName = "A_v2_call_that_fails_after_its_budget_ran_out_leaves_no_unobserved_exception")]
    [TestCase(true, TestName = "A_v2_call_that_fails_as_soon_as_it_is_cancelled_leaves_no_unobserved_exception")]
    public void A_late_v2_failure_is_observed(bool failsWhenCancelled)
    {
        var marker = $"late failure {Guid.NewGuid():N}";
        var unobserved = new List<Exception>();
        void Record(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.InnerExceptions.Any(x => x.Message == marker))
            {
                lock (unobserved)
                {
                    unobserved.Add(e.Exception);
                }
            }
        }
        TaskScheduler.UnobservedTaskException += Record;
        try
        {
            Assert.That(RunAndFailLate(marker, failsWhenCancelled), Is.EqualTo("timeout"));
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            lock (unobserved)
            {
                Assert.That(unobserved, Is.Empty);
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= Record;
        }
    }

    /// <summary>
    /// Runs one v2 request past its budget (the executor's wait timing out first), then lets the abandoned call
    /// fail; returns the fallback reason only, so nothing of the run stays reachable.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string RunAndFailLate(string marker, bool failsWhenCancelled)
    {
        var time = new ManualTimeProvider();
        var v2 = new HangingEngine(Engine.V2, failsWhenCancelled
            ? (token, pending) => token.Register(() => pending.TrySetException(new IOException(marker)))
            : null);
        var executor = Build(AllV2, FakeEngine.Answering(Engine.V1), v2, time);
        var run = executor.RunAsync(Request);
        time.AdvanceFiringNewestOnly(V2Timeout);
        var result = Guard(run).GetAwaiter().GetResult();
        Assert.That(v2.Pending!.Task.IsCompleted, Is.EqualTo(failsWhenCancelled), "the call is still running unless it failed on cancellation");
        v2.Pending.TrySetException(new IOException(marker)); // after the executor gave up (a no-op if it already failed)
        return result.FallbackReason!;
    }
}
