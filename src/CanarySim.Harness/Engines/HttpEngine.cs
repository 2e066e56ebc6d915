using System.Text;
using CanarySim.Core;
using CanarySim.Core.Routing;
using Polly;
using Polly.Timeout;

namespace CanarySim.Harness.Engines;

/// <summary>
/// An engine reached over HTTP — in rehearsals a WireMock stub. A real <see cref="HttpClient"/>
/// POSTs the request payload under a Polly timeout; the JSON answer is parsed by
/// <see cref="EngineAnswerParser"/>. Failures surface as exceptions the router counts as v2
/// failures: <see cref="HttpRequestException"/> (non-2xx status, reset, empty or malformed
/// response), <see cref="TimeoutException"/> (the Polly timeout fired; the
/// <see cref="TimeoutRejectedException"/> is its inner exception, so the router classifies the run as
/// <c>timeout</c>, not <c>exception</c>), <see cref="InvalidEngineOutputException"/>.
/// </summary>
public sealed class HttpEngine : IEngine
{
    private readonly HttpClient _http;
    private readonly string _path;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates an engine client. <paramref name="http"/> needs a base address (e.g. the WireMock server's).</summary>
    public HttpEngine(Engine version, HttpClient http, HttpEngineOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        options ??= new HttpEngineOptions();
        Version = version;
        _http = http;
        _path = options.Path ?? (version == Engine.V1 ? "/v1/plan" : "/v2/plan");
        Timeout = options.Timeout;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.Timeout })
            .Build();
    }

    /// <inheritdoc />
    public Engine Version { get; }

    /// <summary>The per-call timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Where requests go, e.g. <c>http://127.0.0.1:41234/v2/plan</c>.</summary>
    public Uri Endpoint => new(_http.BaseAddress!, _path);

    /// <inheritdoc />
    public async Task<EngineResponse> HandleAsync(EngineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = $"{WireName.Of(Version)} engine at {Endpoint}";
        string body;
        try
        {
            body = await Send(request, source, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException($"{source} did not answer within {Timeout.TotalMilliseconds} ms", ex);
        }
        return EngineAnswerParser.Parse(Version, body, source);
    }

    private async Task<string> Send(EngineRequest request, string source, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async ct =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, _path)
            {
                Content = new StringContent(request.Payload, Encoding.UTF8, "application/json"),
            };
            if (request.SessionId is not null)
            {
                message.Headers.TryAddWithoutValidation("X-Session-Id", request.SessionId);
            }
            if (request.UserId is not null)
            {
                message.Headers.TryAddWithoutValidation("X-User-Id", request.UserId);
            }
            if (request.Segment is not null)
            {
                message.Headers.TryAddWithoutValidation("X-Segment", request.Segment);
            }
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{source} answered {(int)response.StatusCode} {response.ReasonPhrase}: {(text.Length > 200 ? text[..200] + "…" : text)}", null, response.StatusCode);
            }
            return text;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override string ToString() => $"HttpEngine({WireName.Of(Version)} → {Endpoint}, timeout {Timeout.TotalMilliseconds} ms)";
}
