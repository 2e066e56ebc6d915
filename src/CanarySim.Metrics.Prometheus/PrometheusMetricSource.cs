using System.Globalization;
using System.Net;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Http;
using Polly;
using Polly.Timeout;

namespace CanarySim.Metrics.Prometheus;

/// <summary>
/// Reads one number per query from a Prometheus server: an instant query through the HTTP API
/// (<c>GET /api/v1/query</c>), each attempt under a Polly timeout, with retries for an unreachable server, a timeout or
/// HTTP 5xx. Anything but exactly one numeric value — server down, query refused, no series, several series, NaN — is
/// a <see cref="PrometheusQueryException"/> saying what happened, never a value; the detector records it as an error
/// measurement of the check. Thread-safe.
/// </summary>
public sealed class PrometheusMetricSource : IExternalMetricSource, IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;
    private readonly PrometheusSourceOptions _options;

    /// <summary>Creates a source over its own HTTP client.</summary>
    /// <param name="options">Server and patience; validated here.</param>
    /// <param name="time">Clock for the timeout and the retry delays.</param>
    public PrometheusMetricSource(PrometheusSourceOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        System.ComponentModel.DataAnnotations.Validator.ValidateObject(options, new(options), validateAllProperties: true);
        if (!PrometheusSourceOptions.TryParseServer(options.Server.OriginalString, out _, out var error))
        {
            throw new ArgumentException(error, nameof(options));
        }
        _options = options;
        _http = new HttpClient { BaseAddress = options.Server, Timeout = Timeout.InfiniteTimeSpan };
        _pipeline = HttpRetryPipeline.Build(time, options.MaxRetryAttempts, options.RetryDelay, options.AttemptTimeout);
    }

    /// <summary>The server queried.</summary>
    public Uri Server => _options.Server;

    /// <summary>Runs an instant query at the server's current time and returns its single value (<c>+Inf</c> included).</summary>
    /// <exception cref="PrometheusQueryException">No single numeric value could be had; the message says why.</exception>
    public async Task<double> QueryAsync(string query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        var path = "api/v1/query?query=" + Uri.EscapeDataString(query);
        var attempts = 0;
        (HttpStatusCode Status, string Body) answer;
        try
        {
            answer = await _pipeline.ExecuteAsync(async ct =>
            {
                attempts++;
                using var response = await _http.GetAsync(path, ct).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if ((int)response.StatusCode >= 500)
                {
                    throw new HttpRequestException(
                        $"HTTP {(int)response.StatusCode}{PrometheusAnswer.ErrorSuffix(body)}", null, response.StatusCode);
                }
                return (response.StatusCode, body);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new PrometheusQueryException(
                $"prometheus at {Server} did not answer within {_options.AttemptTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s " +
                $"({HttpRetryPipeline.Tries(attempts)}); query: {query}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new PrometheusQueryException($"prometheus at {Server} failed: {ex.Message} ({HttpRetryPipeline.Tries(attempts)}); query: {query}", ex);
        }
        return PrometheusAnswer.SingleValue(answer.Status, answer.Body, query);
    }

    /// <inheritdoc />
    /// <remarks>The detector has already put the engine into the query (<c>$engine</c>).</remarks>
    public Task<double> QueryAsync(CheckDefinition check, string query, Engine engine, CancellationToken cancellationToken) =>
        QueryAsync(query, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
