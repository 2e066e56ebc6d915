using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;
using Prometheus;
using PrometheusMetrics = Prometheus.Metrics;

namespace CanarySim.Service.Metrics;

/// <summary>
/// What the guard service exports at <c>/metrics</c>, held in its own prometheus-net registry (one per host, so hosts
/// in one process never share series): the router's and the guard's counters, and, from every ingested sample, the
/// request counts, errors, fallbacks, a latency histogram and each sample metric, labelled by <c>engine</c> and
/// <c>agent</c>, so a Prometheus server scraping every instance can compute fleet-wide values.
/// </summary>
public sealed class GuardMetrics
{
    private const string Engine = "engine";
    private const string Agent = "agent";
    private static readonly Dictionary<string, double> Empty = [];

    /// <summary>Creates the collectors with the default export options.</summary>
    public GuardMetrics()
        : this(new MetricsExportOptions())
    {
    }

    /// <summary>Creates the collectors.</summary>
    public GuardMetrics(MetricsExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Registry = PrometheusMetrics.NewCustomRegistry();
        var factory = PrometheusMetrics.WithCustomRegistry(Registry);

        Selections = factory.CreateCounter("planner_selection_total", "Route decisions by selected engine (planner) and reason.", "planner", "reason");
        Diffs = factory.CreateCounter("planner_decision_diff_total",
            "Shadow decision comparisons by the agent each engine chose and whether any compared dimension changed.", "agent_v1", "agent_v2", "changed");
        Fallbacks = factory.CreateCounter("planner_fallback_total",
            "Runs where v2 failed and v1 served: counted by the router, and reported by ingested samples.", "source");
        ShadowFailures = factory.CreateCounter("planner_shadow_failure_total", "Shadow runs of v2 that failed or timed out (never affecting the served answer).");
        Rollbacks = factory.CreateCounter("planner_rollback_total",
            "Rollbacks and other traffic reductions applied, by actor (auto or the operator name class) and kind.", "actor", "kind");
        ConfigChanges = factory.CreateCounter("guard_config_changes_total", "Settings changes recorded in the settings history, by kind.", "kind");
        Evaluations = factory.CreateCounter("guard_evaluations_total", "Detector evaluations by verdict, action and trigger (api, background, ingest or plan).", "verdict", "action", "trigger");
        EvaluationErrors = factory.CreateCounter("guard_evaluation_errors_total", "Evaluations that failed with an error (the metric source or store failed).", "trigger");
        SamplesIngested = factory.CreateCounter("guard_samples_ingested_total", "Samples accepted by POST /guard/samples, by engine.", Engine);
        RejectedRequests = factory.CreateCounter("guard_rejected_requests_total", "Requests refused with 4xx, by endpoint and status.", "endpoint", "status");
        AuditDropped = factory.CreateCounter("guard_audit_dropped_total", "Route decisions whose audit commit failed (answered 503, never acknowledged).");

        Requests = factory.CreateCounter("canarysim_requests_total", "Runs reported by ingested samples, by engine and agent.", Engine, Agent);
        RequestErrors = factory.CreateCounter("canarysim_request_errors_total", "Runs reported with error=true, by engine and agent.", Engine, Agent);
        RequestFallbacks = factory.CreateCounter("canarysim_request_fallbacks_total", "Runs reported with fallback=true, by engine and agent.", Engine, Agent);
        RequestDuration = factory.CreateHistogram("canarysim_request_duration_seconds", "Latency of the runs reported by ingested samples, by engine and agent.",
            new HistogramConfiguration { LabelNames = [Engine, Agent], Buckets = [.. options.LatencyBucketsSeconds] });
        SampleValues = factory.CreateSummary("canarysim_sample_metric",
            "Every metric of the ingested samples (fixed fields by their sample name and the sample's own metrics; bools as 1/0): sum and count by engine, agent and metric; mean = sum / count.",
            new SummaryConfiguration { LabelNames = [Engine, Agent, "metric"] });

        CanaryPct = factory.CreateGauge("planner_canary_pct", "Configured percentage of keys routed to v2 (0-100).");
        KillSwitch = factory.CreateGauge("planner_kill_switch", "1 when the kill switch routes every request to v1.");
        RouterMode = factory.CreateGauge("planner_router_mode", "1 for the router's current mode, 0 for the others.", "mode");
        RollbackStates = factory.CreateGauge("guard_rollback_state", "1 for the rollback controller's current state, 0 for the others.", "state");
        WindowSamples = factory.CreateGauge("guard_window_samples", "Runs in the detector's current window.", Engine);
        WindowQuality = factory.CreateGauge("guard_window_quality_mean", "Mean quality (0-100) in the current window.", Engine);
        WindowLatencyP95 = factory.CreateGauge("guard_window_latency_p95_seconds", "Nearest-rank p95 latency in the current window.", Engine);
        WindowCost = factory.CreateGauge("guard_window_cost_cents_mean", "Mean cost per run in cents in the current window.", Engine);
        WindowErrors = factory.CreateGauge("guard_window_error_ratio", "Error rate (0-1) in the current window.", Engine);
        WindowFallbacks = factory.CreateGauge("guard_window_fallback_ratio", "Fallback rate (0-1) over the fallback check's rolling run window.", Engine);
    }

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    internal Counter Selections { get; }
    internal Counter Diffs { get; }
    internal Counter Fallbacks { get; }
    internal Counter ShadowFailures { get; }
    internal Counter Rollbacks { get; }
    internal Counter ConfigChanges { get; }
    internal Counter Evaluations { get; }
    internal Counter EvaluationErrors { get; }
    internal Counter SamplesIngested { get; }
    internal Counter RejectedRequests { get; }
    internal Counter AuditDropped { get; }
    internal Counter Requests { get; }
    internal Counter RequestErrors { get; }
    internal Counter RequestFallbacks { get; }
    internal Histogram RequestDuration { get; }
    internal Summary SampleValues { get; }
    internal Gauge CanaryPct { get; }
    internal Gauge KillSwitch { get; }
    internal Gauge RouterMode { get; }
    internal Gauge RollbackStates { get; }
    internal Gauge WindowSamples { get; }
    internal Gauge WindowQuality { get; }
    internal Gauge WindowLatencyP95 { get; }
    internal Gauge WindowCost { get; }
    internal Gauge WindowErrors { get; }
    internal Gauge WindowFallbacks { get; }

    /// <summary>Counts accepted samples: ingest counters, and the per-run request metrics Prometheus queries read.</summary>
    public void RecordSamples(IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        foreach (var s in samples)
        {
            var engine = WireName.Of(s.Engine);
            var agent = s.Agent ?? "";
            SamplesIngested.WithLabels(engine).Inc();
            Requests.WithLabels(engine, agent).Inc();
            RequestDuration.WithLabels(engine, agent).Observe(s.LatencyMs / 1000.0);
            // Error and fallback series exist (at 0) from an engine and agent's first run, so a ratio query over them
            // answers 0 rather than no series.
            var errors = RequestErrors.WithLabels(engine, agent);
            var fallbacks = RequestFallbacks.WithLabels(engine, agent);
            if (s.Error)
            {
                errors.Inc();
            }
            if (s.Fallback)
            {
                fallbacks.Inc();
                Fallbacks.WithLabels("samples").Inc();
            }
            foreach (var name in SampleMetrics.Fixed)
            {
                SampleMetrics.TryGet(s, name, out var value);
                SampleValues.WithLabels(engine, agent, name).Observe(value);
            }
            foreach (var (name, value) in s.Metrics ?? Empty)
            {
                SampleValues.WithLabels(engine, agent, name).Observe(value);
            }
        }
    }

    /// <summary>Counts one evaluation by its verdict, action and trigger.</summary>
    public void RecordEvaluation(string verdict, string action, string trigger) => Evaluations.WithLabels(verdict, action, trigger).Inc();

    /// <summary>Counts one evaluation that failed with an exception.</summary>
    public void RecordEvaluationError(string trigger) => EvaluationErrors.WithLabels(trigger).Inc();

    /// <summary>Counts a settings change, and a rollback or traffic reduction by actor class and kind.</summary>
    public void RecordSettingsChange(SettingsChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var kind = WireName.Of(change.Kind);
        ConfigChanges.WithLabels(kind).Inc();
        if (change.Kind is SettingsChangeKind.Rollback or SettingsChangeKind.StagedRollback or SettingsChangeKind.ReduceTraffic or SettingsChangeKind.Pause)
        {
            Rollbacks.WithLabels(change.Actor == RollbackController.AutoActor ? "auto" : "manual", kind).Inc();
        }
    }

    /// <summary>Counts a request refused with a 4xx status, by endpoint pattern.</summary>
    public void RecordRejected(string endpoint, int status) =>
        RejectedRequests.WithLabels(endpoint, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
}
