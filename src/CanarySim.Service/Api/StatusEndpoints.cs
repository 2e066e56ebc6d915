using System.Text.Json;
using System.Text.Json.Nodes;
using CanarySim.Service.Auth;
using CanarySim.Service.Guard;
using CanarySim.Service.Rollout;

namespace CanarySim.Service.Api;

/// <summary>
/// <c>GET /guard/health</c> (open, reveals nothing internal) and <c>GET /guard/status</c>: the full
/// status for a caller with the app or ops token; without a token a redacted one — no salt (with it
/// anyone could compute who is in the canary), no cohort keys, no database path, no actors or reasons. The live plan's
/// summary is in both: it names no approver and carries no history.
/// </summary>
internal static class StatusEndpoints
{
    public static void Map(RouteGroupBuilder guard)
    {
        guard.MapGet("/health", Health)
            .WithSummary("Health check: the store answers, this instance sees other instances' changes (503 while cut off from the store), what the router serves, and whether this instance is the fleet's evaluator.")
            .Produces<HealthView>()
            .Produces<HealthView>(StatusCodes.Status503ServiceUnavailable);

        guard.MapGet("/status", Status)
            .WithSummary("Settings, v1/v2 window aggregates, last evaluation with breaches, thresholds, timeline, chart series, and the live plan's stage, percent, state and next stage (rollout, null without a plan). Without a token the answer is redacted (redacted: true): no salt, cohort keys, database path, actors, reasons or approvers.")
            .Produces<StatusView>()
            .Produces<ApiError>(StatusCodes.Status403Forbidden)
            .RequireToken(TokenScope.Optional);
    }

    private static IResult Health(GuardRuntime runtime, LiveRolloutHost rollouts)
    {
        try
        {
            _ = runtime.Live.Current;
            _ = runtime.Status().Settings;
            var store = runtime.StoreHealth();
            // cut off from the store: other instances' changes (a kill switch) may not reach this one
            // A frozen rollout still routes: the service is up, but the plan does not move until the store records transitions again.
            var frozen = rollouts.Rollout?.Frozen is not null;
            var status = !store.Connected ? "unhealthy" : frozen ? "degraded" : "ok";
            return Results.Json(new HealthView(status, runtime.AuthRequired, runtime.InsecureDev, runtime.EvaluationCount, store.Connected ? null : "store_disconnected", store, runtime.IsEvaluator,
                    frozen ? "frozen: the store could not record a transition, so the rollout does not promote (details in GET /guard/rollout and the log)" : null),
                GuardJson.Options, statusCode: store.Connected ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception ex)
        {
            return Results.Json(new HealthView("unhealthy", runtime.AuthRequired, runtime.InsecureDev, runtime.EvaluationCount, ex.GetType().Name, null),
                GuardJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult Status(HttpContext http, GuardRuntime runtime, LiveRolloutHost rollouts)
    {
        var status = runtime.Status();
        if (rollouts.Rollout is { } rollout)
        {
            status = status with { Rollout = RolloutSummary.From(rollout.View(), rollout.Plan) };
        }
        var access = http.Items.TryGetValue(typeof(Access), out var a) && a is Access granted ? granted : Access.None;
        if (access is Access.App or Access.Ops)
        {
            return Results.Json(status, GuardJson.Options);
        }
        return Results.Content(Redact(status).ToJsonString(GuardJson.Options), "application/json; charset=utf-8");
    }

    /// <summary>The status without what only token holders may see.</summary>
    internal static JsonObject Redact(StatusView status)
    {
        var node = JsonSerializer.SerializeToNode(status, GuardJson.Options)!.AsObject();
        node["redacted"] = true;
        node["service"]!.AsObject().Remove("database");
        RedactSettings(node["settings"]?.AsObject());
        foreach (var entry in node["timeline"]!.AsArray())
        {
            RedactChange(entry?.AsObject());
        }
        RedactChange(node["evaluation"]?["change"]?.AsObject());
        return node;
    }

    private static void RedactChange(JsonObject? change)
    {
        if (change is null)
        {
            return;
        }
        change.Remove("actor");
        change.Remove("reason");
        change.Remove("instance");
        RedactSettings(change["before"]?.AsObject());
        RedactSettings(change["after"]?.AsObject());
    }

    private static void RedactSettings(JsonObject? settings)
    {
        if (settings is null)
        {
            return;
        }
        settings.Remove("salt");
        settings["cohort_size"] = settings["cohort"]?.AsArray().Count ?? 0;
        settings.Remove("cohort");
    }
}
