namespace CanarySim.Service.Rollout;

/// <summary>One approval of a live rollout's stage.</summary>
/// <param name="Stage">The stage approved (its name).</param>
/// <param name="Approver">Who approved (an approver the plan names for that stage).</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record RolloutApproval(string Stage, string Approver, string Reason, DateTimeOffset At);
