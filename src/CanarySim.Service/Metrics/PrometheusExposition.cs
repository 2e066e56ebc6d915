using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using CanarySim.Service.Guard;

namespace CanarySim.Service.Metrics;

/// <summary>
/// SPEC §1/§5: renders <c>/metrics</c>: the router's counters (<c>planner_selection_total</c>,
/// <c>planner_decision_diff_total</c>, fallbacks), rollback and evaluation counters, and gauges for
/// the canary percentage, the kill switch, the mode and the current window.
/// </summary>
internal static class PrometheusExposition
{
    public static string Render(GuardRuntime runtime, GuardMetrics metrics)
    {
        var w = new PrometheusTextWriter();
        var router = runtime.RouterMetrics.Snapshot();

        w.Family("planner_selection_total", "counter", "Route decisions by selected engine (planner) and reason.");
        foreach (var s in router.Selections)
        {
            w.Sample("planner_selection_total", s.Count, ("planner", s.Planner.ToWire()), ("reason", s.Reason.ToWire()));
        }

        w.Family("planner_decision_diff_total", "counter", "Shadow decision comparisons by the agent each engine chose and whether any compared dimension changed.");
        foreach (var d in router.Diffs)
        {
            w.Sample("planner_decision_diff_total", d.Count, ("agent_v1", d.AgentV1), ("agent_v2", d.AgentV2), ("changed", d.Changed ? "True" : "False"));
        }

        w.Family("planner_fallback_total", "counter", "Runs where v2 failed and v1 served: counted by the router, and reported by ingested samples.");
        w.Sample("planner_fallback_total", router.Fallbacks, ("source", "router"));
        w.Sample("planner_fallback_total", metrics.Fallbacks.Get("samples"), ("source", "samples"));

        w.Family("planner_shadow_failure_total", "counter", "Shadow runs of v2 that failed or timed out (never affecting the served answer).");
        w.Sample("planner_shadow_failure_total", router.ShadowFailures);

        var settings = runtime.Live.Current;
        w.Family("planner_canary_pct", "gauge", "Configured percentage of keys routed to v2 (0-100).");
        w.Sample("planner_canary_pct", settings.CanaryPct);
        w.Family("planner_kill_switch", "gauge", "1 when the kill switch routes every request to v1.");
        w.Sample("planner_kill_switch", settings.KillSwitch ? 1 : 0);
        w.Family("planner_router_mode", "gauge", "1 for the router's current mode, 0 for the others.");
        foreach (var mode in Enum.GetValues<RouterMode>())
        {
            w.Sample("planner_router_mode", mode == settings.Mode ? 1 : 0, ("mode", mode.ToWire()));
        }
        var state = runtime.Guard.Controller.State;
        w.Family("guard_rollback_state", "gauge", "1 for the rollback controller's current state, 0 for the others.");
        foreach (var s in Enum.GetValues<RollbackState>())
        {
            w.Sample("guard_rollback_state", s == state ? 1 : 0, ("state", System.Text.Json.JsonSerializer.Serialize(s).Trim('"')));
        }

        metrics.WriteCounters(w);

        w.Family("guard_audit_dropped_total", "counter", "Route events dropped because the audit queue was full.");
        w.Sample("guard_audit_dropped_total", runtime.DroppedAuditEvents);

        var (v1, v2) = runtime.CurrentWindow();
        Window(w, "guard_window_samples", "Runs in the detector's current window.", v1.Count, v2.Count);
        Window(w, "guard_window_quality_mean", "Mean quality (0-100) in the current window.", v1.MeanQuality, v2.MeanQuality);
        Window(w, "guard_window_latency_p95_seconds", "Nearest-rank p95 latency in the current window.", v1.P95LatencyMs / 1000, v2.P95LatencyMs / 1000);
        Window(w, "guard_window_cost_cents_mean", "Mean cost per run in cents in the current window.", v1.MeanCostCents, v2.MeanCostCents);
        Window(w, "guard_window_error_ratio", "Error rate (0-1) in the current window.", v1.ErrorRate, v2.ErrorRate);
        Window(w, "guard_window_fallback_ratio", "Fallback rate (0-1) over the fallback check's rolling run window.", v1.FallbackRateRolling, v2.FallbackRateRolling);
        return w.ToString();
    }

    private static void Window(PrometheusTextWriter w, string name, string help, double? v1, double? v2)
    {
        w.Family(name, "gauge", help);
        if (v1 is { } a)
        {
            w.Sample(name, a, ("engine", "v1"));
        }
        if (v2 is { } b)
        {
            w.Sample(name, b, ("engine", "v2"));
        }
    }
}
