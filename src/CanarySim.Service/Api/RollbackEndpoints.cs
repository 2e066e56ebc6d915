using CanarySim.Service.Auth;
using CanarySim.Service.Guard;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Api;

/// <summary><c>POST /guard/rollback</c> and <c>POST /guard/resume</c>: a human acts, saying who and why (ops token).</summary>
internal static class RollbackEndpoints
{
    public static void Map(RouteGroupBuilder guard)
    {
        guard.MapPost("/rollback", RollbackAsync)
            .WithSummary("Manual rollback: kill switch on, canary 0 %, recorded with actor and reason (required).")
            .JsonEndpoint<ActorReasonBody, RollbackResponse>()
            .RequireToken(TokenScope.Ops);

        guard.MapPost("/resume", ResumeAsync)
            .WithSummary("Resume after a pause, a staged rollback in progress or a manual-review flag, and start a new analysis run; recorded with actor and reason. 409 when rolled back (re-enable with PUT /guard/config kill_switch=false).")
            .JsonEndpoint<ActorReasonBody, RollbackResponse>()
            .Produces<ApiError>(StatusCodes.Status409Conflict)
            .RequireToken(TokenScope.Ops);
    }

    private static async Task<IResult> RollbackAsync(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var (who, error) = await ReadAsync(request, options.Value, "roll back", ct);
        if (error is not null)
        {
            return error;
        }
        var change = runtime.Rollback(who.Actor, who.Reason);
        return Results.Json(new RollbackResponse(SettingsView.From(runtime.Live.Current), ChangeView.From(change)), GuardJson.Options);
    }

    private static async Task<IResult> ResumeAsync(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var (who, error) = await ReadAsync(request, options.Value, "resume", ct);
        if (error is not null)
        {
            return error;
        }
        try
        {
            var change = runtime.Resume(who.Actor, who.Reason);
            return Results.Json(new RollbackResponse(SettingsView.From(runtime.Live.Current), ChangeView.From(change)), GuardJson.Options);
        }
        catch (InvalidOperationException)
        {
            return ApiErrors.Problem(StatusCodes.Status409Conflict, "conflict",
                "the canary is rolled back: resume does not undo a rollback; re-enable with PUT /guard/config {\"kill_switch\": false, \"canary_pct\": …, \"reason\": …}");
        }
    }

    internal static async Task<((string Actor, string Reason) Who, IResult? Error)> ReadAsync(HttpRequest request, GuardServiceOptions o, string verb, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync(request, GuardJsonContext.Default.ActorReasonBody, o.MaxRequestBodyBytes, optional: false, ct);
        if (body.Error is not null)
        {
            return (default, body.Error);
        }
        var b = body.Value!;
        if (string.IsNullOrWhiteSpace(b.Reason))
        {
            return (default, ApiErrors.BadRequest($"reason is required: say why you {verb} (it is kept in the settings history)"));
        }
        if ((BodyRules.Text(b.Reason, "reason", o.MaxReasonLength) ?? (b.Actor is null ? null : BodyRules.Identifier(b.Actor, "actor", o.MaxReasonLength))) is { } bad)
        {
            return (default, ApiErrors.BadRequest(bad));
        }
        return ((b.Actor?.Trim() ?? "ops", b.Reason.Trim()), null);
    }
}
