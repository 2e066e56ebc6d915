namespace CanarySim.Harness.Sweeps;

/// <summary>The first time a run's guard or rollout rolled back, paused or reduced traffic, and the checks that raised it.</summary>
/// <param name="Action"><c>rollback</c>, <c>staged_rollback</c>, <c>reduce_traffic</c> or <c>pause</c>.</param>
/// <param name="At">When, as an ISO time in UTC (<c>yyyy-MM-ddTHH:mm:ssZ</c>).</param>
/// <param name="Actor">Who acted: <c>auto</c> (the rollback controller on a detector verdict) or <c>rollout</c> (a failed stage gate).</param>
/// <param name="Checks">The checks that breached (for a failed gate: the gate, e.g. <c>release_gate</c>).</param>
public sealed record SweepAlarm(string Action, string At, string Actor, IReadOnlyList<string> Checks);
