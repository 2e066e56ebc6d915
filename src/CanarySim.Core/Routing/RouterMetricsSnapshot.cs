namespace CanarySim.Core.Routing;

/// <summary>A copy of <see cref="RouterMetrics"/> for rendering (e.g. Prometheus text at <c>/metrics</c>).</summary>
/// <param name="Selections">planner_selection_total per (planner, reason).</param>
/// <param name="Diffs">planner_decision_diff_total per (agent_v1, agent_v2, changed).</param>
/// <param name="Fallbacks">fallback_total.</param>
/// <param name="ShadowFailures">shadow_failure_total (shadow errors and timeouts).</param>
public sealed record RouterMetricsSnapshot(
    IReadOnlyList<SelectionCount> Selections,
    IReadOnlyList<DiffCount> Diffs,
    long Fallbacks,
    long ShadowFailures);
