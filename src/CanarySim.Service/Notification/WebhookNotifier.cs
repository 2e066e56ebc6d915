using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CanarySim.Core.Detection;
using CanarySim.Core.Notification;
using CanarySim.Http;
using Polly;
using Polly.Timeout;

namespace CanarySim.Service.Notification;

/// <summary>
/// Posts each notification as one JSON object to a webhook (<c>Content-Type: application/json</c>): <c>event</c>,
/// <c>at</c>, <c>actor</c>, <c>reason</c>, <c>breaches</c>, <c>version</c>, <c>instance</c>, <c>canary_pct_before</c>,
/// <c>canary_pct_after</c>, <c>kill_switch</c>. Each attempt runs under a Polly timeout; an unreachable webhook, a
/// timeout, HTTP 5xx or 429 is retried with exponential back-off. Any 2xx is delivery; anything else after the last
/// attempt is a <see cref="NotificationException"/> naming the webhook, the answer and the attempts. Thread-safe.
/// </summary>
public sealed class WebhookNotifier : INotifier, IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;
    private readonly WebhookNotifierOptions _options;

    /// <summary>Creates a notifier over its own HTTP client.</summary>
    /// <param name="options">Webhook and patience; validated here.</param>
    /// <param name="time">Clock for the timeout and the retry delays.</param>
    /// <param name="handler">The HTTP handler to send through (a test's fake); a new one when null.</param>
    public WebhookNotifier(WebhookNotifierOptions options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        System.ComponentModel.DataAnnotations.Validator.ValidateObject(options, new(options), validateAllProperties: true);
        if (!WebhookNotifierOptions.TryParseUrl(options.Url.OriginalString, out _, out var error))
        {
            throw new ArgumentException(error, nameof(options));
        }
        _options = options;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _pipeline = HttpRetryPipeline.Build(time, options.MaxRetryAttempts, options.RetryDelay, options.AttemptTimeout);
    }

    /// <summary>The webhook posted to.</summary>
    public Uri Url => _options.Url;

    /// <inheritdoc />
    public async Task NotifyAsync(GuardNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var body = Body(notification);
        var attempts = 0;
        HttpStatusCode status;
        try
        {
            status = await _pipeline.ExecuteAsync(async ct =>
            {
                attempts++;
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await _http.PostAsync(_options.Url, content, ct).ConfigureAwait(false);
                if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
                }
                return response.StatusCode;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new NotificationException(
                $"webhook {Url} did not answer within {_options.AttemptTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s " +
                $"({HttpRetryPipeline.Tries(attempts)}); event {notification.Event}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new NotificationException($"webhook {Url} failed: {ex.Message} ({HttpRetryPipeline.Tries(attempts)}); event {notification.Event}", ex);
        }
        if ((int)status is < 200 or >= 300)
        {
            throw new NotificationException($"webhook {Url} refused the notification: HTTP {(int)status} ({HttpRetryPipeline.Tries(attempts)}); event {notification.Event}");
        }
    }

    /// <summary>The JSON object posted for <paramref name="notification"/>.</summary>
    public static string Body(GuardNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("event", notification.Event);
            w.WriteString("at", SampleJson.FormatAt(notification.At));
            w.WriteString("actor", notification.Actor);
            w.WriteString("reason", notification.Reason);
            w.WriteStartArray("breaches");
            foreach (var breach in notification.Breaches)
            {
                w.WriteStringValue(breach);
            }
            w.WriteEndArray();
            w.WriteNumber("version", notification.Version);
            w.WriteString("instance", notification.Instance);
            w.WriteNumber("canary_pct_before", notification.CanaryPctBefore);
            w.WriteNumber("canary_pct_after", notification.CanaryPctAfter);
            w.WriteBoolean("kill_switch", notification.KillSwitch);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
