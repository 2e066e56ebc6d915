using System.ComponentModel.DataAnnotations;

namespace CanarySim.Service.Notification;

/// <summary>Where a <see cref="WebhookNotifier"/> posts and how patiently.</summary>
public sealed class WebhookNotifierOptions
{
    /// <summary>The webhook, e.g. <c>https://hooks.example.com/canary</c>.</summary>
    [Required]
    public required Uri Url { get; init; }

    /// <summary>Reads a webhook address as users write it: an absolute http or https URL.</summary>
    public static bool TryParseUrl(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        if (Uri.TryCreate(text?.Trim(), UriKind.Absolute, out url) && url.Scheme is "http" or "https" && url.Host.Length > 0)
        {
            error = null;
            return true;
        }
        url = null;
        error = $"'{text}' is not a webhook address: expected an absolute http(s) URL such as https://hooks.example.com/canary";
        return false;
    }

    /// <summary>Time one POST may take before it is abandoned. The default value is 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Retries after a failed attempt (connection refused, timeout, HTTP 5xx or 429). Any other refusal (HTTP 4xx) is
    /// never retried. The default value is 3.
    /// </summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; init; } = 3;

    /// <summary>Wait before the first retry; doubled for each further one. The default value is 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}
