namespace CanarySim.Service.Rollout;

/// <summary>The states of a live rollout, as <c>GET /guard/rollout</c> names them.</summary>
public static class RolloutStates
{
    /// <summary>Moving through its stages.</summary>
    public const string Running = "running";

    /// <summary>The current stage waits for a manual approval.</summary>
    public const string WaitingApproval = "waiting_approval";

    /// <summary>The guard paused it (an inconclusive analysis, a pause trigger, a manual review or a person); one resume lifts it.</summary>
    public const string Paused = "paused";

    /// <summary>Rolled back (by a trigger, the guard, or an abort); the plan does not run again under its name.</summary>
    public const string RolledBack = "rolled_back";

    /// <summary>The last stage met its exit criteria and gates.</summary>
    public const string Completed = "completed";
}
