using CanarySim.Core.Notification;
using CanarySim.Service.Notification;
using Microsoft.Extensions.Time.Testing;

namespace CanarySim.Service.Tests.Notification;

public sealed class WebhookNotifierTests
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);

    private static readonly GuardNotification Rollback = new(
        "rollback", T0, "auto", "error_rate (V2: 7.0% > 5.0% for 5m)", ["error_rate (V2: 7.0% > 5.0% for 5m)", "latency (V2 p95: 1850ms > 1600ms)"],
        12, "guard-a", 25, 0, true);

    private static WebhookNotifier Notifier(Uri url, int retries = 3, HttpMessageHandler? handler = null, TimeProvider? time = null) =>
        new(new WebhookNotifierOptions { Url = url, MaxRetryAttempts = retries, RetryDelay = TimeSpan.Zero }, time ?? new FakeTimeProvider(T0), handler);

    [Test]
    public async Task Posts_the_notification_as_one_json_object()
    {
        using var hook = new WebhookStub(200);
        using var notifier = Notifier(hook.Url);

        await notifier.NotifyAsync(Rollback, CancellationToken.None);

        var (method, contentType, body) = hook.Received.Single();
        Assert.Multiple(() =>
        {
            Assert.That(method, Is.EqualTo("POST"));
            Assert.That(contentType, Does.StartWith("application/json"));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(body), JsonNode.Parse("""
                {"event": "rollback", "at": "2026-02-19T10:00:00Z", "actor": "auto", "reason": "error_rate (V2: 7.0% > 5.0% for 5m)",
                 "breaches": ["error_rate (V2: 7.0% > 5.0% for 5m)", "latency (V2 p95: 1850ms > 1600ms)"],
                 "version": 12, "instance": "guard-a", "canary_pct_before": 25, "canary_pct_after": 0, "kill_switch": true}
                """)), Is.True, body);
        });
    }

    [Test]
    public async Task A_webhook_that_fails_twice_then_answers_gets_the_same_notification_three_times()
    {
        using var hook = new WebhookStub(503, 500, 204);
        using var notifier = Notifier(hook.Url);

        await notifier.NotifyAsync(Rollback, CancellationToken.None);

        Assert.That(hook.Received.Select(r => r.Body).Distinct().Single(), Is.EqualTo(WebhookNotifier.Body(Rollback)));
        Assert.That(hook.Received, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_webhook_that_keeps_failing_is_an_error_naming_it_the_answer_and_the_attempts()
    {
        using var hook = new WebhookStub(500);
        using var notifier = Notifier(hook.Url, retries: 2);

        var ex = Assert.ThrowsAsync<NotificationException>(() => notifier.NotifyAsync(Rollback, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(hook.Url.ToString()).And.Contain("HTTP 500").And.Contain("3 attempts").And.Contain("event rollback"));
        Assert.That(hook.Received, Has.Count.EqualTo(3));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Too_many_requests_is_retried_but_a_refusal_is_not()
    {
        using (var busy = new WebhookStub(429, 200))
        using (var notifier = Notifier(busy.Url))
        {
            await notifier.NotifyAsync(Rollback, CancellationToken.None);
            Assert.That(busy.Received, Has.Count.EqualTo(2));
        }
        using var refusing = new WebhookStub(404);
        using var refused = Notifier(refusing.Url);
        var ex = Assert.ThrowsAsync<NotificationException>(() => refused.NotifyAsync(Rollback, CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("refused").And.Contain("HTTP 404").And.Contain("1 attempt"));
        Assert.That(refusing.Received, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_webhook_that_does_not_answer_times_out_on_the_clock_and_is_retried()
    {
        var clock = new FakeTimeProvider(T0);
        using var silent = new SilentHandler();
        using var notifier = new WebhookNotifier(
            new WebhookNotifierOptions { Url = new Uri("http://127.0.0.1:1/hook"), AttemptTimeout = TimeSpan.FromSeconds(5), MaxRetryAttempts = 1, RetryDelay = TimeSpan.Zero },
            clock, silent);

        var sending = notifier.NotifyAsync(Rollback, CancellationToken.None);
        await silent.Arrived(1);
        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.That(sending.IsCompleted, Is.False, "the attempt may take its 5 s");
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await silent.Arrived(2);
        clock.Advance(TimeSpan.FromSeconds(5));

        var ex = Assert.ThrowsAsync<NotificationException>(() => sending);
        Assert.That(ex!.Message, Does.Contain("did not answer within 5 s").And.Contain("2 attempts"));
        Assert.That(silent.Calls, Is.EqualTo(2));
    }

    [Test]
    public void A_webhook_address_must_be_an_absolute_http_url()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WebhookNotifierOptions.TryParseUrl("https://hooks.example.com/canary", out var url, out _), Is.True);
            Assert.That(url, Is.EqualTo(new Uri("https://hooks.example.com/canary")));
            Assert.That(WebhookNotifierOptions.TryParseUrl("hooks.example.com/canary", out _, out var error), Is.False);
            Assert.That(error, Does.Contain("hooks.example.com/canary").And.Contain("absolute http(s) URL"));
            Assert.That(WebhookNotifierOptions.TryParseUrl("ftp://hooks.example.com/", out _, out _), Is.False);
        });
    }

    /// <summary>A webhook that accepts the connection and never answers: each call hangs until it is cancelled.</summary>
    private sealed class SilentHandler : HttpMessageHandler
    {
        private readonly TaskCompletionSource[] _arrivals = Enumerable.Range(0, 16).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        /// <summary>Completes when call number <paramref name="n"/> (1-based) has arrived.</summary>
        public Task Arrived(int n) => _arrivals[n - 1].Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _arrivals[Interlocked.Increment(ref _calls) - 1].SetResult();
            var never = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            return await never.Task.WaitAsync(cancellationToken);
        }
    }
}
