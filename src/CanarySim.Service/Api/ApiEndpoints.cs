using CanarySim.Service.Metrics;

namespace CanarySim.Service.Api;

/// <summary>
/// Maps the guard API, one class per resource: health and status, config, settings history, rollback and resume,
/// evaluation, samples, diffs, routing (and <c>/metrics</c> from <see cref="MetricsEndpoint"/>). Every mutating endpoint names the token it needs; a bad
/// body gets 400 (or 415) with a reason and changes nothing.
/// </summary>
internal static class ApiEndpoints
{
    /// <summary>Counts refused requests per endpoint pattern (bounded label set), 429s of the throttle included.</summary>
    public static void CountRejected(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode is >= 400 and < 500)
            {
                var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "other";
                context.RequestServices.GetRequiredService<GuardMetrics>().RecordRejected(pattern, context.Response.StatusCode);
            }
        });
    }

    public static void Map(WebApplication app)
    {
        var guard = app.MapGroup("/guard").WithTags("guard");
        StatusEndpoints.Map(guard);
        ConfigEndpoints.Map(guard);
        HistoryEndpoints.Map(guard);
        RollbackEndpoints.Map(guard);
        EvaluateEndpoints.Map(guard);
        SampleEndpoints.Map(guard);
        DiffEndpoints.Map(guard);
        RouteEndpoints.Map(guard);
        RolloutEndpoints.Map(guard);
        MetricsEndpoint.Map(app);
    }
}
