using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// The requests a server is still answering, with when each arrived. WireMock.Net journals a request
/// only once it has answered it (a stub delayed by 3 s shows up 3 s later), while WireMock journals it on
/// arrival; <see cref="WaitForArrivedSinceAsync"/> lets journal reads wait for the answers still pending (those to one
/// path only, when the read selects one path: a stub on another path delayed by 3 s does not hold it up).
/// </summary>
internal sealed class InFlightRequests
{
    private readonly ConcurrentDictionary<long, (DateTime Arrived, string Path)> _pending = new();
    private readonly TimeProvider _time;
    private long _next;
    private TaskCompletionSource _changed = NewSignal();

    public InFlightRequests(TimeProvider time) => _time = time;

    /// <summary>Now on the clock arrivals are stamped with (a journal reset marks its start on the same clock).</summary>
    public DateTime Now => _time.GetUtcNow().UtcDateTime;

    /// <summary>Adds the tracking middleware (outermost, so it sees every request).</summary>
    public void Install(object app) => ((IApplicationBuilder)app).Use(async (HttpContext context, RequestDelegate next) =>
    {
        var id = Interlocked.Increment(ref _next);
        _pending[id] = (Now, (context.Request.PathBase + context.Request.Path).Value ?? "");
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
            Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
        }
    });

    /// <summary>
    /// Waits until every request that arrived at or after <paramref name="since"/> (to <paramref name="path"/>, when given,
    /// compared unescaped) has been answered, at most <paramref name="limit"/> (on the server's time provider).
    /// </summary>
    /// <exception cref="TimeoutException">Requests are still pending after <paramref name="limit"/>.</exception>
    public async Task WaitForArrivedSinceAsync(DateTime since, string? path, TimeSpan limit, CancellationToken cancellationToken)
    {
        var only = path is null ? null : Uri.UnescapeDataString(path);
        using var limitReached = new CancellationTokenSource(limit, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limitReached.Token);
        while (true)
        {
            var signal = Volatile.Read(ref _changed).Task;
            var pending = _pending.Values.Count(r => r.Arrived >= since && (only is null || string.Equals(r.Path, only, StringComparison.Ordinal)));
            if (pending == 0)
            {
                return;
            }
            try
            {
                await signal.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{pending} request(s) to the WireMock server were still being answered after {limit.TotalSeconds:0.#} s.");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
