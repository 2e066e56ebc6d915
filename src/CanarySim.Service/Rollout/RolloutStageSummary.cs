namespace CanarySim.Service.Rollout;

/// <summary>One stage of the live plan as anyone may see it (<see cref="RolloutSummary"/>).</summary>
/// <param name="Name">Stage name.</param>
/// <param name="Kind"><c>shadow</c>, <c>canary</c> or <c>progressive</c>.</param>
/// <param name="Percent">Traffic on v2.</param>
/// <param name="MinHoldS">Minimum hold, seconds.</param>
/// <param name="Status"><c>done</c>, <c>current</c> or <c>next</c>.</param>
/// <param name="Gates">The kinds of its gates (<c>detector</c>, <c>manual_approval</c>, <c>release_gate</c>, <c>rollback_rehearsal</c>).</param>
public sealed record RolloutStageSummary(string Name, string Kind, double Percent, double MinHoldS, string Status, IReadOnlyList<string> Gates);
