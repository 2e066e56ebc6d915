using CanarySim.Core.Rollback;
using CanarySim.Service.Auth;
using CanarySim.Service.Guard;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Api;

/// <summary><c>PUT /guard/config</c>: a validated, recorded settings change (ops token).</summary>
internal static class ConfigEndpoints
{
    public static void Map(RouteGroupBuilder guard)
    {
        guard.MapPut("/config", PutAsync)
            .WithSummary("Change canary_pct, kill_switch, mode, salt, phase, segments or cohort, with updated_by and an optional reason (recorded in the settings history; an absent reason is recorded as empty). Applied to the latest stored settings; with \"version\", refused with 409 and the current settings when another version is stored.")
            .JsonEndpoint<ConfigRequestBody, ConfigResponse>()
            .Produces<ConflictResponse>(StatusCodes.Status409Conflict)
            .RequireToken(TokenScope.Ops);
    }

    private static async Task<IResult> PutAsync(HttpRequest request, GuardRuntime runtime, IOptions<GuardServiceOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        var body = await JsonBody.ReadAsync(request, GuardJsonContext.Default.ConfigRequestBody, o.MaxRequestBodyBytes, optional: false, ct);
        if (body.Error is not null)
        {
            return body.Error;
        }
        if (ConfigUpdate.From(body.Value!, o.MaxReasonLength, out var error) is not { } update)
        {
            return ApiErrors.BadRequest(error);
        }
        try
        {
            var changes = runtime.ApplyConfig(update, update.Version);
            return Results.Json(new ConfigResponse(SettingsView.From(runtime.Live.Current, runtime.SettingsVersion), changes.Select(ChangeView.From).ToList()), GuardJson.Options);
        }
        catch (SettingsConflictException ex)
        {
            return Results.Json(new ConflictResponse("conflict", ex.Message, SettingsView.From(ex.Current.Settings, ex.Current.Version)),
                GuardJson.Options, statusCode: StatusCodes.Status409Conflict);
        }
    }
}
