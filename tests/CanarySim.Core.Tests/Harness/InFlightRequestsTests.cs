using CanarySim.Harness.WireMock;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CanarySim.Core.Tests.Harness;

/// <summary>Journal reads wait for the answers still pending, but only for requests that arrived since the last reset.</summary>
public sealed class InFlightRequestsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_read_waits_for_a_request_that_arrived_since_the_reset_until_it_is_answered()
    {
        var time = new FakeTimeProvider(T0);
        var inFlight = new InFlightRequests(time);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = Pipeline(inFlight, answer.Task);

        time.Advance(TimeSpan.FromSeconds(1));
        var request = pipeline(new DefaultHttpContext());
        var read = inFlight.WaitForArrivedSinceAsync(T0.UtcDateTime, null, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.That(read.IsCompleted, Is.False, "the delayed answer is still pending");
        answer.SetResult();
        await request;
        await read;
        Assert.That(read.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public async Task A_request_from_before_the_reset_is_not_waited_for()
    {
        var time = new FakeTimeProvider(T0);
        var inFlight = new InFlightRequests(time);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = Pipeline(inFlight, answer.Task)(new DefaultHttpContext());

        var read = inFlight.WaitForArrivedSinceAsync(T0.AddSeconds(1).UtcDateTime, null, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.That(read.IsCompletedSuccessfully, Is.True, "the pending request arrived before the reset");
        answer.SetResult();
        await request;
    }

    [Test]
    public async Task A_read_of_one_path_waits_for_that_path_only()
    {
        var time = new FakeTimeProvider(T0);
        var inFlight = new InFlightRequests(time);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var context = new DefaultHttpContext();
        context.Request.Path = "/v2/plan";
        var request = Pipeline(inFlight, answer.Task)(context);

        var otherPath = inFlight.WaitForArrivedSinceAsync(T0.UtcDateTime, "/v1/plan", TimeSpan.FromSeconds(30), CancellationToken.None);
        var samePath = inFlight.WaitForArrivedSinceAsync(T0.UtcDateTime, "/v2/plan", TimeSpan.FromSeconds(30), CancellationToken.None);
        var anyPath = inFlight.WaitForArrivedSinceAsync(T0.UtcDateTime, null, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.That(otherPath.IsCompletedSuccessfully, Is.True, "nothing is pending on /v1/plan");
        Assert.That(samePath.IsCompleted || anyPath.IsCompleted, Is.False, "the /v2/plan answer is still pending");
        answer.SetResult();
        await request;
        await Task.WhenAll(samePath, anyPath);
    }

    [Test]
    public void A_read_gives_up_naming_the_pending_requests_after_its_limit()
    {
        var time = new FakeTimeProvider(T0);
        var inFlight = new InFlightRequests(time);
        var never = new TaskCompletionSource();
        _ = Pipeline(inFlight, never.Task)(new DefaultHttpContext());

        var read = inFlight.WaitForArrivedSinceAsync(T0.UtcDateTime, null, TimeSpan.FromSeconds(30), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(read.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(1));
        var e = Assert.ThrowsAsync<TimeoutException>(() => read);
        Assert.That(e!.Message, Does.Contain("1 request(s)").And.Contain("30 s"));
    }

    private static RequestDelegate Pipeline(InFlightRequests inFlight, Task answered)
    {
        var app = new ApplicationBuilder(new ServiceCollection().BuildServiceProvider());
        inFlight.Install(app);
        app.Run(_ => answered);
        return app.Build();
    }
}
