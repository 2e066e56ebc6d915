using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// Transport faults WireMock.Net does not produce itself. A fault mapping answers with the
/// <see cref="Header"/> header and no body; this middleware, wrapped around WireMock.Net's, then breaks
/// the connection instead of sending that answer: <c>CONNECTION_RESET_BY_PEER</c> and <c>EMPTY_RESPONSE</c>
/// abort it before any byte, <c>RANDOM_DATA_THEN_CLOSE</c> and <c>MALFORMED_RESPONSE_CHUNK</c> send an
/// OK status line and bytes that are not the promised body, then abort it.
/// </summary>
internal static class FaultMiddleware
{
    /// <summary>The marker header a fault mapping answers with (never sent to the client).</summary>
    public const string Header = "X-CanarySim-Fault";

    private static readonly byte[] Garbage = Encoding.ASCII.GetBytes("{\"agent\":\u0001\u0002\u0003 not a valid answer");

    /// <summary>Adds the middleware (WireMock.Net's <c>PreWireMockMiddlewareInit</c> hook hands over the application builder).</summary>
    public static void Install(object app) => ((IApplicationBuilder)app).Use(InvokeAsync);

    private static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        await next(context).ConfigureAwait(false);
        var response = context.Response;
        if (response.HasStarted || !response.Headers.TryGetValue(Header, out var value))
        {
            return;
        }
        response.Headers.Remove(Header);
        if (FaultNames.TryParse(value.ToString(), out var fault) && fault is Fault.RandomDataThenClose or Fault.MalformedResponseChunk)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentLength = Garbage.Length * 4L;
            await response.Body.WriteAsync(Garbage, context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        context.Abort();
    }
}
