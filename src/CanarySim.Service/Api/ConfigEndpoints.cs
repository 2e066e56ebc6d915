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
            .WithSummary("Change canary_pct, kill_switch, mode, salt, phase, segments or cohort, with updated_by and an optional reason (recorded in the settings history; an absent reason is recorded as empty).")
            .JsonEndpoint<ConfigRequestBody, ConfigResponse>()
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
        var changes = runtime.ApplyConfig(update);
        return Results.Json(new ConfigResponse(SettingsView.From(runtime.Live.Current), changes.Select(ChangeView.From).ToList()), GuardJson.Options);
    }
}
