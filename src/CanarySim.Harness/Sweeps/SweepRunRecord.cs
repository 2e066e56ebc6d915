namespace CanarySim.Harness.Sweeps;

/// <summary>What one run of a sweep (one seed under one scenario) came to; one line of <c>runs.jsonl</c>.</summary>
/// <param name="Seed">The simulation seed of this run; the same seed and scenario give the same record.</param>
/// <param name="Scenario">The scenario name (<c>healthy</c> or the injection as written).</param>
/// <param name="Outcome"><c>completed</c>, <c>rolled_back</c> or <c>in_progress</c>.</param>
/// <param name="Requests">Requests simulated.</param>
/// <param name="Alarm">The first rollback, pause or traffic reduction (null: none).</param>
/// <param name="FalseAlarm">Whether <paramref name="Alarm"/> is a false alarm: raised in a healthy run, or before the injection began.</param>
/// <param name="DetectedBy">With an injection: the first action at or after the injection began (<c>rollback</c>, <c>staged_rollback</c>,
/// <c>reduce_traffic</c> or <c>pause</c>, the actions that count as false alarms in a healthy run); null when none came.</param>
/// <param name="DetectedAt">When that action came (ISO time in UTC).</param>
/// <param name="TimeToDetectionSeconds">Seconds from the injection to that action.</param>
/// <param name="DetectionChecks">The checks that raised it (for a failed stage gate: the gate).</param>
public sealed record SweepRunRecord(
    int Seed,
    string Scenario,
    string Outcome,
    long Requests,
    SweepAlarm? Alarm,
    bool FalseAlarm,
    string? DetectedBy,
    string? DetectedAt,
    long? TimeToDetectionSeconds,
    IReadOnlyList<string> DetectionChecks)
{
    /// <summary>The regression was caught: the guard or the rollout rolled back, paused or reduced traffic at or after the injection.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Detected => TimeToDetectionSeconds is not null;
}
