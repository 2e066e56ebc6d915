using System.Text.Json.Nodes;
using CanarySim.Service.Api;
using CanarySim.Service.Rollout;

namespace CanarySim.Service.Guard;

/// <summary>
/// <c>GET /guard/status</c> (current config, recent stats, evaluation): settings,
/// the v1/v2 aggregates of the current window, the last evaluation with its breaches, thresholds,
/// the timeline of rollbacks and config changes (newest first) and the chart series.
/// </summary>
/// <param name="Service">Service facts (auth, database, evaluation interval, rollback state).</param>
/// <param name="Settings">The live router settings.</param>
/// <param name="Window">Aggregates of the policy's window now.</param>
/// <param name="Evaluation">The last evaluation (the verdict JSON plus <c>action_taken</c>, <c>run_phase</c>, <c>trigger</c>, <c>change</c>), or null before the first.</param>
/// <param name="Thresholds">The policy's thresholds.</param>
/// <param name="Timeline">Settings history, newest first: config changes, rollbacks, re-enables.</param>
/// <param name="Series">Chart points, oldest first.</param>
/// <param name="Traffic">Route decisions served by this process.</param>
/// <param name="Rollout">The live plan (<c>serve --plan</c>) as anyone may see it, or null when no plan runs.</param>
public sealed record StatusView(
    ServiceInfo Service,
    SettingsView Settings,
    WindowView Window,
    JsonNode? Evaluation,
    ThresholdsView Thresholds,
    IReadOnlyList<ChangeView> Timeline,
    IReadOnlyList<SeriesPoint> Series,
    TrafficView Traffic,
    RolloutSummary? Rollout = null);
