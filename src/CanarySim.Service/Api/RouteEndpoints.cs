using CanarySim.Core.Routing;
using CanarySim.Service.Auth;
using CanarySim.Service.Guard;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Api;

/// <summary><c>POST /guard/route</c>: one routing decision over HTTP (app or ops token), answered once its audit event is committed.</summary>
internal static class RouteEndpoints
{
    private const int MaxKeyLength = 1024;

    public static void Map(RouteGroupBuilder guard)
    {
        guard.MapPost("/route", RouteAsync)
            .WithSummary("One routing decision for a session/user/segment, so any language can use the router over HTTP. The answer comes once the decision is committed to the audit log (503 when it cannot be).")
            .JsonEndpoint<RouteRequestBody, RouteResponse>(bodyRequired: false)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable)
            .RequireToken(TokenScope.App);
    }

    private static async Task<IResult> RouteAsync(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync(request, GuardJsonContext.Default.RouteRequestBody, options.Value.MaxRequestBodyBytes, optional: true, ct);
        if (body.Error is not null)
        {
            return body.Error;
        }
        var b = body.Value;
        if (b is not null && (Key(b.SessionId, "session_id") ?? Key(b.UserId, "user_id") ?? Key(b.Segment, "segment")) is { } bad)
        {
            return ApiErrors.BadRequest(bad);
        }
        try
        {
            var decision = await runtime.RouteAsync(new RouteRequest(b?.SessionId, b?.UserId, b?.Segment));
            return Results.Content(RouteEventJson.ToJson(decision), "application/json; charset=utf-8");
        }
        catch (AuditWriteException ex)
        {
            return ApiErrors.Problem(StatusCodes.Status503ServiceUnavailable, "audit_unavailable",
                $"{ex.Message}; the decision is not acknowledged, retry later");
        }
    }

    private static string? Key(string? value, string field) => value is null ? null : BodyRules.Text(value, field, MaxKeyLength);
}
