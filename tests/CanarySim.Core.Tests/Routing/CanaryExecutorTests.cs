namespace CanarySim.Core.Tests.Routing;

public sealed class CanaryExecutorTests
{
    private static readonly EngineRequest Request = new("session-1", "user-1", null, "{}");

    private static (CanaryExecutor Executor, RouterMetrics Metrics) Build(RouterSettings settings, IEngine v1, IEngine v2, ManualTimeProvider time)
    {
        var metrics = new RouterMetrics();
        var options = new RouterOptions { TimeProvider = time, ShadowTimeout = TimeSpan.FromMilliseconds(1600), V2Timeout = TimeSpan.FromSeconds(5) };
        var router = new CanaryRouter(new LiveSettings(settings), options, metrics);
        return (new CanaryExecutor(router, v1, v2, metrics), metrics);
    }

    private static readonly RouterSettings Shadow = new() { Mode = RouterMode.Shadow };
    private static readonly RouterSettings AllV2 = new() { Mode = RouterMode.Candidate };

    private static Task<T> Guard<T>(Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(30));

    [Test]
    public async Task A_shadow_that_never_answers_costs_at_most_its_budget_and_never_changes_the_answer()
    {
        var time = new ManualTimeProvider();
        var v1 = FakeEngine.Answering(Engine.V1, "planner");
        var v2 = FakeEngine.Never(Engine.V2);
        var (executor, metrics) = Build(Shadow, v1, v2, time);

        var run = executor.RunAsync(Request);
        time.Advance(TimeSpan.FromMilliseconds(1599));
        Assert.That(run.IsCompleted, Is.False, "waits for the shadow up to its budget");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await Guard(run);

        Assert.Multiple(() =>
        {
            Assert.That(result.Served.Engine, Is.EqualTo(Engine.V1));
            Assert.That(result.Served.Body, Is.EqualTo("{\"from\":\"v1\"}"));
            Assert.That(result.ShadowOutcome, Is.EqualTo("timeout"));
            Assert.That(result.Diff, Is.Null);
            Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(1600)));
            Assert.That(result.Fallback, Is.False);
            Assert.That(metrics.ShadowFailures, Is.EqualTo(1));
            Assert.That(v2.Calls, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task The_shadow_budget_runs_beside_a_slow_primary_not_after_it()
    {
        var time = new ManualTimeProvider();
        var v1 = FakeEngine.AnsweringAfter(Engine.V1, TimeSpan.FromSeconds(2), time);
        var (executor, _) = Build(Shadow, v1, FakeEngine.Never(Engine.V2), time);

        var run = executor.RunAsync(Request);
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await Guard(run);

        Assert.Multiple(() =>
        {
            Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromSeconds(2)), "no budget added on top of a primary slower than it");
            Assert.That(result.ShadowOutcome, Is.EqualTo("timeout"));
            Assert.That(result.ServedLatency, Is.EqualTo(TimeSpan.FromSeconds(2)));
        });
    }

    [Test]
    public async Task A_failing_shadow_never_changes_the_primary_answer()
    {
        var time = new ManualTimeProvider();
        var (executor, metrics) = Build(Shadow, FakeEngine.Answering(Engine.V1), FakeEngine.Throwing(Engine.V2, new HttpRequestException("boom")), time);
        var result = await Guard(executor.RunAsync(Request));
        Assert.Multiple(() =>
        {
            Assert.That(result.Served.Engine, Is.EqualTo(Engine.V1));
            Assert.That(result.ShadowOutcome, Is.EqualTo("exception"));
            Assert.That(result.Latency, Is.EqualTo(TimeSpan.Zero));
            Assert.That(metrics.ShadowFailures, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task An_answering_shadow_is_diffed_and_counted()
    {
        var time = new ManualTimeProvider();
        var v1 = FakeEngine.Answering(Engine.V1, "planner", false, "plan", "act");
        var v2 = FakeEngine.Answering(Engine.V2, "coder", false, "plan", "act");
        var (executor, metrics) = Build(Shadow, v1, v2, time);
        var result = await Guard(executor.RunAsync(Request));
        Assert.Multiple(() =>
        {
            Assert.That(result.Served.Engine, Is.EqualTo(Engine.V1));
            Assert.That(result.ShadowOutcome, Is.EqualTo("ok"));
            Assert.That(result.Diff!.AgentChanged, Is.True);
            Assert.That(result.Diff.StepsChanged, Is.False);
            Assert.That(result.Diff.AnyChange, Is.True);
            Assert.That(metrics.Snapshot().Diffs, Is.EqualTo(new[] { new DiffCount("planner", "coder", true, 1) }));
        });
    }

    [Test]
    public async Task V2_exception_falls_back_to_v1_and_counts()
    {
        var time = new ManualTimeProvider();
        var (executor, metrics) = Build(AllV2, FakeEngine.Answering(Engine.V1), FakeEngine.Throwing(Engine.V2, new HttpRequestException("503")), time);
        var result = await Guard(executor.RunAsync(Request));
        Assert.Multiple(() =>
        {
            Assert.That(result.Decision.Selected, Is.EqualTo(Engine.V2));
            Assert.That(result.ServedBy, Is.EqualTo(Engine.V1));
            Assert.That((result.Fallback, result.FallbackReason), Is.EqualTo((true, "exception")));
            Assert.That(metrics.Fallbacks, Is.EqualTo(1));
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_v2_answer_that_is_missing_or_names_another_engine_is_invalid_output(bool missing)
    {
        var time = new ManualTimeProvider();
        var v2 = new FakeEngine(Engine.V2, (_, _) => Task.FromResult(missing ? null! : new EngineResponse { Engine = Engine.V1, Agent = "planner" }));
        var (executor, metrics) = Build(AllV2, FakeEngine.Answering(Engine.V1), v2, time);

        var result = await Guard(executor.RunAsync(Request));

        Assert.That((result.ServedBy, result.Fallback, result.FallbackReason, metrics.Fallbacks), Is.EqualTo((Engine.V1, true, "invalid_output", 1L)));
    }

    [Test]
    public void The_engines_must_be_v1_then_v2_and_a_request_is_required()
    {
        var router = new CanaryRouter(new LiveSettings(AllV2));
        Assert.That(() => new CanaryExecutor(router, FakeEngine.Answering(Engine.V2), FakeEngine.Answering(Engine.V2)),
            Throws.ArgumentException.With.Message.EqualTo("expected engines v1 and v2, got v2 and v2."));
        Assert.That(() => new CanaryExecutor(router, FakeEngine.Answering(Engine.V1), FakeEngine.Answering(Engine.V1)),
            Throws.ArgumentException.With.Message.EqualTo("expected engines v1 and v2, got v1 and v1."));
        var executor = new CanaryExecutor(router, FakeEngine.Answering(Engine.V1), FakeEngine.Answering(Engine.V2));
        Assert.That(() => executor.RunAsync(null!), Throws.ArgumentNullException);
        Assert.That(() => executor.RunAsync(null!, default(RouteDecision)), Throws.ArgumentNullException);
    }

    [Test]
    public async Task V2_invalid_output_falls_back_to_v1()
    {
        var time = new ManualTimeProvider();
        var (executor, metrics) = Build(AllV2, FakeEngine.Answering(Engine.V1), FakeEngine.Throwing(Engine.V2, new InvalidEngineOutputException("missing 'agent'")), time);
        var result = await Guard(executor.RunAsync(Request));
        Assert.Multiple(() =>
        {
            Assert.That(result.ServedBy, Is.EqualTo(Engine.V1));
            Assert.That((result.Fallback, result.FallbackReason), Is.EqualTo((true, "invalid_output")));
            Assert.That(metrics.Fallbacks, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task V2_timeout_falls_back_to_v1_after_the_v2_timeout()
    {
        var time = new ManualTimeProvider();
        var (executor, metrics) = Build(AllV2, FakeEngine.Answering(Engine.V1), FakeEngine.Never(Engine.V2), time);
        var run = executor.RunAsync(Request);
        time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.That(run.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await Guard(run);
        Assert.Multiple(() =>
        {
            Assert.That(result.ServedBy, Is.EqualTo(Engine.V1));
            Assert.That((result.Fallback, result.FallbackReason), Is.EqualTo((true, "timeout")));
            Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(metrics.Fallbacks, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Healthy_v2_serves_without_fallback_and_v1_is_not_called()
    {
        var time = new ManualTimeProvider();
        var v1 = FakeEngine.Answering(Engine.V1);
        var (executor, metrics) = Build(AllV2, v1, FakeEngine.Answering(Engine.V2), time);
        var result = await Guard(executor.RunAsync(Request));
        Assert.Multiple(() =>
        {
            Assert.That((result.ServedBy, result.Fallback), Is.EqualTo((Engine.V2, false)));
            Assert.That(v1.Calls, Is.Zero);
            Assert.That(metrics.Fallbacks, Is.Zero);
        });
    }

    [Test]
    public async Task Kill_switch_serves_v1_without_touching_v2()
    {
        var time = new ManualTimeProvider();
        var v2 = FakeEngine.Answering(Engine.V2);
        var (executor, _) = Build(AllV2 with { KillSwitch = true }, FakeEngine.Answering(Engine.V1), v2, time);
        var result = await Guard(executor.RunAsync(Request));
        Assert.Multiple(() =>
        {
            Assert.That((result.ServedBy, result.Decision.Reason), Is.EqualTo((Engine.V1, RouteReason.KillSwitch)));
            Assert.That(v2.Calls, Is.Zero);
        });
    }
}
