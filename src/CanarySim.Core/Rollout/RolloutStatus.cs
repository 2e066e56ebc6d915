namespace CanarySim.Core.Rollout;

/// <summary>Where a rollout stands.</summary>
public enum RolloutStatus
{
    /// <summary>Moving through its stages.</summary>
    Running,
    /// <summary>The last stage met its exit criteria and gates.</summary>
    Completed,
    /// <summary>Rolled back (kill switch on, or a gate demanded it); re-enabling is manual.</summary>
    RolledBack,
}
