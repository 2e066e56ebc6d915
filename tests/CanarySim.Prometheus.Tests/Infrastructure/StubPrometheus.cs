using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CanarySim.Prometheus.Tests.Infrastructure;

/// <summary>
/// A stand-in for a Prometheus server's <c>/api/v1/query</c> on 127.0.0.1 (a free port, Kestrel in process): answers
/// each request with the next scripted answer (the last one repeats) and records the queries it was asked.
/// </summary>
internal sealed class StubPrometheus : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Answer> _script = new();
    private readonly ConcurrentQueue<string> _queries = new();
    private readonly TaskCompletionSource[] _arrivals = Enumerable.Range(0, 16).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
    private int _received;
    private Answer _last = Answer.Json(200, """{"status":"success","data":{"resultType":"vector","result":[]}}""");

    private StubPrometheus(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<string> Queries => _queries.ToArray();

    public static async Task<StubPrometheus> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubPrometheus(app);
        app.MapGet("/api/v1/query", stub.Handle);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        stub.Url = new Uri(address);
        return stub;
    }

    /// <summary>Completes when request number <paramref name="n"/> (1-based, at most 16) has arrived and its query is recorded.</summary>
    public Task Arrived(int n) => _arrivals[n - 1].Task;

    /// <summary>Queues answers, in order.</summary>
    public StubPrometheus Then(params Answer[] answers)
    {
        foreach (var a in answers)
        {
            _script.Enqueue(a);
        }
        return this;
    }

    private async Task Handle(HttpContext context)
    {
        _queries.Enqueue(context.Request.Query["query"].ToString());
        if (Interlocked.Increment(ref _received) is var n && n <= _arrivals.Length)
        {
            _arrivals[n - 1].TrySetResult();
        }
        if (_script.TryDequeue(out var next))
        {
            _last = next;
        }
        var answer = _last;
        if (answer.Hang)
        {
            // Never answers: the client's timeout must give up (the request is aborted when it does).
            var aborted = new TaskCompletionSource();
            using var registration = context.RequestAborted.Register(() => aborted.TrySetResult());
            await aborted.Task;
            return;
        }
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>One scripted answer.</summary>
    internal sealed record Answer(int Status, string Body, bool Hang)
    {
        public static Answer Json(int status, string body) => new(status, body, false);

        public static Answer Vector(params string[] values) => Json(200,
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" +
            string.Join(",", values.Select((v, i) => $"{{\"metric\":{{\"agent\":\"a{i}\"}},\"value\":[1771495200.5,\"{v}\"]}}")) + "]}}");

        public static Answer Error(int status, string type, string error) =>
            Json(status, $"{{\"status\":\"error\",\"errorType\":\"{type}\",\"error\":\"{error}\"}}");

        public static Answer NoAnswer() => new(0, "", true);
    }
}
