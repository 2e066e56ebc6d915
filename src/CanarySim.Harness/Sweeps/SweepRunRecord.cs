namespace CanarySim.Harness.Sweeps;

/// <summary>What one run of a sweep (one seed under one scenario) came to; one line of <c>runs.jsonl</c>.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Scenario">The scenario name (<c>healthy</c> or the injection as written).</param>
/// <param name="Outcome"><c>completed</c>, <c>rolled_back</c> or <c>in_progress</c>.</param>
/// <param name="Requests">Requests simulated.</param>
/// <param name="Alarm">The first rollback, pause or traffic reduction (null: none).</param>
/// <param name="FalseAlarm">Whether <paramref name="Alarm"/> is a false alarm: raised in a healthy run, or before the injection began.</param>
/// <param name="RollbackAt">With an injection: when the rollout rolled back at or after the injection began (null: it did not).</param>
/// <param name="TimeToRollbackSeconds">With an injection: seconds from the injection to that rollback.</param>
/// <param name="RollbackChecks">The checks that raised that rollback.</param>
public sealed record SweepRunRecord(
    int Seed,
    string Scenario,
    string Outcome,
    long Requests,
    SweepAlarm? Alarm,
    bool FalseAlarm,
    string? RollbackAt,
    long? TimeToRollbackSeconds,
    IReadOnlyList<string> RollbackChecks)
{
    /// <summary>The regression was caught: the rollout rolled back at or after the injection.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Detected => TimeToRollbackSeconds is not null;
}
