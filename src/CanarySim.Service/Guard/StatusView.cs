using System.Text.Json.Nodes;
using CanarySim.Service.Api;

namespace CanarySim.Service.Guard;

/// <summary>
/// <c>GET /guard/status</c> (seed 001 PR2: current config + recent stats + evaluation): settings,
/// the v1/v2 aggregates of the current window, the last evaluation with its breaches, thresholds,
/// the timeline of rollbacks and config changes (newest first) and the chart series.
/// </summary>
/// <param name="Service">Service facts (auth, database, evaluation interval, rollback state).</param>
/// <param name="Settings">The live router settings.</param>
/// <param name="Window">Aggregates of the policy's window now.</param>
/// <param name="Evaluation">The last evaluation (SPEC §2 verdict JSON plus <c>action_taken</c>, <c>run_phase</c>, <c>trigger</c>, <c>change</c>), or null before the first.</param>
/// <param name="Thresholds">The policy's thresholds.</param>
/// <param name="Timeline">Settings history, newest first: config changes, rollbacks, re-enables.</param>
/// <param name="Series">Chart points, oldest first.</param>
/// <param name="Traffic">Route decisions served by this process.</param>
public sealed record StatusView(
    ServiceInfo Service,
    SettingsView Settings,
    WindowView Window,
    JsonNode? Evaluation,
    ThresholdsView Thresholds,
    IReadOnlyList<ChangeView> Timeline,
    IReadOnlyList<SeriesPoint> Series,
    TrafficView Traffic);

/// <summary>Facts about the running service.</summary>
/// <param name="Version">Product version.</param>
/// <param name="Now">Service clock.</param>
/// <param name="Database">Full path of the SQLite database.</param>
/// <param name="AuthRequired">Whether mutating endpoints check the ops token.</param>
/// <param name="InsecureDev">Running with <c>--insecure-dev</c>.</param>
/// <param name="BackgroundEvaluation">Whether the background evaluation runs.</param>
/// <param name="EvaluationIntervalSeconds">Its interval.</param>
/// <param name="RollbackState">active, paused, rolling_back or rolled_back.</param>
/// <param name="NeedsManualReview">A manual_review verdict awaits a human.</param>
/// <param name="CanPromote">Active and no review pending.</param>
public sealed record ServiceInfo(string Version, DateTimeOffset Now, string Database, bool AuthRequired, bool InsecureDev,
    bool BackgroundEvaluation, double EvaluationIntervalSeconds, string RollbackState, bool NeedsManualReview, bool CanPromote);

/// <summary>The current window.</summary>
/// <param name="Description">e.g. <c>last 100 runs</c>.</param>
/// <param name="V1">v1 aggregates.</param>
/// <param name="V2">v2 aggregates.</param>
public sealed record WindowView(string Description, AggregatesView V1, AggregatesView V2);

/// <summary>The policy's thresholds (SPEC §2 table).</summary>
/// <param name="MinSamples">Minimum v2 samples.</param>
/// <param name="QualityDropMax">Largest allowed v1−v2 quality drop.</param>
/// <param name="LatencyP95MaxMs">Largest allowed v2 p95.</param>
/// <param name="CostMaxCents">Largest allowed v2 mean cost.</param>
/// <param name="ErrorRateMax">Largest error rate (fraction).</param>
/// <param name="ErrorRateSustain">How long it must last.</param>
/// <param name="LatencySustainedP95MaxMs">Sustained p95 limit.</param>
/// <param name="LatencySustain">How long it must last.</param>
/// <param name="CostSpikeFactor">Multiple of the projected cost that pauses.</param>
/// <param name="ComplaintsMax">Complaints per hour before manual review.</param>
/// <param name="FallbackRateMax">Largest fallback rate (fraction) over the rolling window.</param>
/// <param name="FallbackWindowRuns">Rolling window size for the fallback rate.</param>
public sealed record ThresholdsView(int MinSamples, double QualityDropMax, double LatencyP95MaxMs, double CostMaxCents, double ErrorRateMax,
    string ErrorRateSustain, double LatencySustainedP95MaxMs, string LatencySustain, double CostSpikeFactor, int ComplaintsMax,
    double FallbackRateMax, int FallbackWindowRuns);

/// <summary>Route decisions served by this process since it started.</summary>
/// <param name="V1">Decisions for v1.</param>
/// <param name="V2">Decisions for v2.</param>
/// <param name="Fallbacks">Router fallbacks.</param>
/// <param name="AuditDropped">Route events dropped because the audit queue was full.</param>
public sealed record TrafficView(long V1, long V2, long Fallbacks, long AuditDropped);
