namespace CanarySim.Service.Rollout;

/// <summary>
/// A live stage gate that was judged (a release gate over posted artifacts, or a rollback rehearsal): stored with the
/// rollout so a restarted service neither judges nor rehearses it again.
/// </summary>
/// <param name="Stage">The stage the gate belongs to (its name).</param>
/// <param name="Gate">The gate's index among the stage's gates.</param>
/// <param name="Kind"><c>release_gate</c> or <c>rollback_rehearsal</c>.</param>
/// <param name="Passed">GO, or a passed rehearsal.</param>
/// <param name="Detail">What the gate said, in words.</param>
/// <param name="Report">The release gate report's name (<c>GET /guard/rollout/reports/{name}</c>), or the rehearsal's evidence.</param>
/// <param name="At">When it was judged.</param>
public sealed record RolloutGateResult(string Stage, int Gate, string Kind, bool Passed, string Detail, string? Report, DateTimeOffset At);
