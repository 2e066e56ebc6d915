using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Service.Guard;
using Prometheus;

namespace CanarySim.Service.Metrics;

/// <summary>
/// Maps <c>/metrics</c> (prometheus-net's serializer: text format 0.0.4, or OpenMetrics when the scraper's Accept header
/// asks for it) and, before each scrape, copies what lives elsewhere into the registry: the router's counters, the live settings,
/// the rollback state and the detector's current window.
/// </summary>
internal static class MetricsEndpoint
{
    private const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";
    private const string OpenMetricsType = "application/openmetrics-text";
    private const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    public static void Map(WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<GuardMetrics>();
        var runtime = app.Services.GetRequiredService<GuardRuntime>();
        metrics.Registry.AddBeforeCollectCallback(() => Refresh(metrics, runtime));
        app.MapGet("/metrics", Scrape)
            .WithTags("metrics")
            .WithSummary("Prometheus exposition: text format 0.0.4, or OpenMetrics when the Accept header asks for it.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
    }

    private static async Task Scrape(HttpContext context, GuardMetrics metrics)
    {
        var openMetrics = context.Request.Headers.Accept.Any(a => a is not null && a.Contains(OpenMetricsType, StringComparison.OrdinalIgnoreCase));
        context.Response.ContentType = openMetrics ? OpenMetricsContentType : TextContentType;
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body,
            openMetrics ? ExpositionFormat.OpenMetricsText : ExpositionFormat.PrometheusText, context.RequestAborted);
    }

    private static void Refresh(GuardMetrics m, GuardRuntime runtime)
    {
        var router = runtime.RouterMetrics.Snapshot();
        foreach (var s in router.Selections)
        {
            m.Selections.WithLabels(WireName.Of(s.Planner), WireName.Of(s.Reason)).IncTo(s.Count);
        }
        foreach (var d in router.Diffs)
        {
            m.Diffs.WithLabels(d.AgentV1, d.AgentV2, d.Changed ? "True" : "False").IncTo(d.Count);
        }
        m.Fallbacks.WithLabels("router").IncTo(router.Fallbacks);
        m.Fallbacks.WithLabels("samples").IncTo(0);
        m.ShadowFailures.IncTo(router.ShadowFailures);
        m.AuditDropped.IncTo(runtime.DroppedAuditEvents);

        var settings = runtime.Live.Current;
        m.CanaryPct.Set(settings.CanaryPct);
        m.KillSwitch.Set(settings.KillSwitch ? 1 : 0);
        foreach (var mode in Enum.GetValues<RouterMode>())
        {
            m.RouterMode.WithLabels(WireName.Of(mode)).Set(mode == settings.Mode ? 1 : 0);
        }
        var state = runtime.Guard.Controller.State;
        foreach (var s in Enum.GetValues<RollbackState>())
        {
            m.RollbackStates.WithLabels(WireName.Of(s)).Set(s == state ? 1 : 0);
        }

        var (v1, v2) = runtime.CurrentWindow();
        Window(m.WindowSamples, v1.Count, v2.Count);
        Window(m.WindowQuality, v1.MeanQuality, v2.MeanQuality);
        Window(m.WindowLatencyP95, v1.P95LatencyMs / 1000, v2.P95LatencyMs / 1000);
        Window(m.WindowCost, v1.MeanCostCents, v2.MeanCostCents);
        Window(m.WindowErrors, v1.ErrorRate, v2.ErrorRate);
        Window(m.WindowFallbacks, v1.FallbackRateRolling, v2.FallbackRateRolling);
    }

    // An empty window has no value: its series is withdrawn rather than exported as 0.
    private static void Window(Gauge gauge, double? v1, double? v2)
    {
        Set(gauge.WithLabels("v1"), v1);
        Set(gauge.WithLabels("v2"), v2);

        static void Set(Gauge.Child child, double? value)
        {
            if (value is { } v)
            {
                child.Set(v);
                child.Publish();
            }
            else
            {
                child.Unpublish();
            }
        }
    }
}
