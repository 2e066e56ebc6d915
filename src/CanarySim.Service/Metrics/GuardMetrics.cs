namespace CanarySim.Service.Metrics;

/// <summary>
/// SPEC §1/§5: the service's own counters, exposed at <c>/metrics</c> together with gauges read
/// from the live settings and the current window when scraped.
/// </summary>
public sealed class GuardMetrics
{
    /// <summary>Samples ingested with <c>fallback=true</c> (rendered inside planner_fallback_total{source="samples"}).</summary>
    internal CounterFamily Fallbacks { get; } = new("guard_sample_fallbacks_total",
        "Ingested samples flagged fallback.", "source");

    internal CounterFamily Rollbacks { get; } = new("planner_rollback_total",
        "Rollbacks and other traffic reductions applied, by actor (auto or the operator name class) and kind.", "actor", "kind");

    internal CounterFamily ConfigChanges { get; } = new("guard_config_changes_total",
        "Settings changes recorded in the settings history, by kind.", "kind");

    internal CounterFamily Evaluations { get; } = new("guard_evaluations_total",
        "Detector evaluations by verdict, action and trigger (api or background).", "verdict", "action", "trigger");

    internal CounterFamily EvaluationErrors { get; } = new("guard_evaluation_errors_total",
        "Evaluations that failed with an error (the metric source or store failed).", "trigger");

    internal CounterFamily SamplesIngested { get; } = new("guard_samples_ingested_total",
        "Samples accepted by POST /guard/samples, by engine.", "engine");

    internal CounterFamily RejectedRequests { get; } = new("guard_rejected_requests_total",
        "Requests refused with 4xx, by endpoint and status.", "endpoint", "status");

    /// <summary>Writes the counter families owned by the service (router counters come from <c>RouterMetrics</c>).</summary>
    internal void WriteCounters(PrometheusTextWriter writer)
    {
        foreach (var family in new[] { Rollbacks, ConfigChanges, Evaluations, EvaluationErrors, SamplesIngested, RejectedRequests })
        {
            family.WriteTo(writer);
        }
    }
}
