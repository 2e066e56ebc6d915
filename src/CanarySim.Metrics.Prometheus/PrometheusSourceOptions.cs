using System.ComponentModel.DataAnnotations;

namespace CanarySim.Metrics.Prometheus;

/// <summary>Where a <see cref="PrometheusMetricSource"/> queries and how patiently.</summary>
public sealed class PrometheusSourceOptions
{
    /// <summary>The Prometheus server, e.g. <c>http://127.0.0.1:9090</c> (the HTTP API lives under <c>/api/v1/</c>).</summary>
    [Required]
    public required Uri Server { get; init; }

    /// <summary>Reads a server address as users write it (<c>http://127.0.0.1:9090</c>): an absolute http or https URL.</summary>
    public static bool TryParseServer(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? server, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        if (Uri.TryCreate(text?.Trim(), UriKind.Absolute, out server) && server.Scheme is "http" or "https" && server.Host.Length > 0)
        {
            error = null;
            return true;
        }
        server = null;
        error = $"'{text}' is not a Prometheus server address: expected an absolute http(s) URL such as http://127.0.0.1:9090";
        return false;
    }

    /// <summary>Time one query attempt may take before it is abandoned. The default value is 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Retries after a failed attempt (connection refused, timeout, HTTP 5xx). A query Prometheus refuses (HTTP 4xx, e.g. a
    /// syntax error) is never retried. The default value is 2.
    /// </summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; init; } = 2;

    /// <summary>Wait before the first retry; doubled for each further one. The default value is 200 milliseconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}
