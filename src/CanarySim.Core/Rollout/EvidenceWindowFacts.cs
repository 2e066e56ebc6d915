namespace CanarySim.Core.Rollout;

/// <summary>What happened in one observation window — the input of <see cref="EvidenceDecisions.Decide"/>.</summary>
public sealed record EvidenceWindowFacts
{
    /// <summary>The stage kind at the end of the window.</summary>
    public required StageKind Stage { get; init; }
    /// <summary>The kickoff row (before any traffic).</summary>
    public bool Kickoff { get; init; }
    /// <summary>The kill switch was on at the end of the window, or a rollback happened in it.</summary>
    public bool RolledBack { get; init; }
    /// <summary>v2 was given requests in the window and none of its runs completed: the execution pipeline stalled.</summary>
    public bool Stalled { get; init; }
    /// <summary>The metrics source refused authentication during the window.</summary>
    public bool MetricsBlocked { get; init; }
    /// <summary>The stage's exit criteria held at the end of the window (shadow: ready to promote).</summary>
    public bool ExitCriteriaMet { get; init; }
    /// <summary>The stage advanced during the window (its exit was met).</summary>
    public bool Advanced { get; init; }
    /// <summary>v2 was unhealthy in front of users during the window (<see cref="EvidenceWindow.Disturbed"/>): PARTIAL_TIMEOUT_RECOVERED.</summary>
    public bool Disturbed { get; init; }
    /// <summary>v2 served (or shadowed) at least one request in the window.</summary>
    public bool TrafficBearing { get; init; } = true;
}
