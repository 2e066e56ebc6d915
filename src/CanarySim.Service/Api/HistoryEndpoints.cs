using System.Globalization;
using CanarySim.Service.Auth;
using CanarySim.Service.Guard;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Api;

/// <summary>
/// <c>GET /guard/history?limit=N</c>: the settings history, newest first — every stored version with
/// who made it, from which instance, why, and the settings before and after. Needs the ops token
/// (the settings reveal the salt and the cohort).
/// </summary>
internal static class HistoryEndpoints
{
    public static void Map(RouteGroupBuilder guard)
    {
        guard.MapGet("/history", Get)
            .RequireToken(TokenScope.Ops)
            .WithSummary("The settings history, newest first (limit 1 to Guard:MaxHistoryLimit, default Guard:TimelineLength): version, instance, actor, kind, reason, before and after.")
            .Produces<HistoryResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .ProducesAuthErrors();
    }

    private static IResult Get(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options)
    {
        var o = options.Value;
        var limit = o.TimelineLength;
        var text = request.Query["limit"];
        if (text.Count > 1)
        {
            return ApiErrors.BadRequest("limit: give it at most once");
        }
        if (text.Count == 1 && (!int.TryParse(text[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > o.MaxHistoryLimit))
        {
            return ApiErrors.BadRequest($"limit must be a whole number from 1 to {o.MaxHistoryLimit}; got '{text[0]}'");
        }
        var changes = runtime.History(limit);
        return Results.Json(new HistoryResponse(runtime.SettingsVersion, runtime.Instance, changes.Select(ChangeView.From).ToList()), GuardJson.Options);
    }
}
