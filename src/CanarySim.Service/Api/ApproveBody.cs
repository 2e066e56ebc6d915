namespace CanarySim.Service.Api;

/// <summary>Body of <c>POST /guard/rollout/approve</c>: <c>{"stage":"…","approver":"…","reason":"…"}</c>.</summary>
public sealed class ApproveBody
{
    /// <summary>The stage approved (the one the rollout waits at).</summary>
    public required string Stage { get; init; }

    /// <summary>Who approves (an approver the plan names for that stage).</summary>
    public required string Approver { get; init; }

    /// <summary>Why (required, kept in the settings history).</summary>
    public required string Reason { get; init; }
}
