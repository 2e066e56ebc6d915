namespace CanarySim.Service.Rollout;

/// <summary>
/// A live rollout as stored after one transition: the stage it is at, when that stage was entered (so a
/// restarted service resumes it with the hold already served), the approvals given, and the transition
/// itself (event, actor, reason, time). Every transition stores a whole record; the latest one is the state.
/// </summary>
public sealed record RolloutRecord
{
    /// <summary>The plan's name.</summary>
    public required string Plan { get; init; }

    /// <summary>Index of the current stage.</summary>
    public required int StageIndex { get; init; }

    /// <summary>Name of the current stage.</summary>
    public required string Stage { get; init; }

    /// <summary>The current stage's percentage.</summary>
    public required double Percent { get; init; }

    /// <summary>When the current stage was entered.</summary>
    public required DateTimeOffset EnteredAt { get; init; }

    /// <summary><c>running</c>, <c>rolled_back</c> or <c>completed</c> (a pause is the guard's, see <see cref="LiveRollout"/>).</summary>
    public required string State { get; init; }

    /// <summary>Approvals given so far, oldest first.</summary>
    public IReadOnlyList<RolloutApproval> Approvals { get; init; } = [];

    /// <summary>Release gates and rollback rehearsals judged so far, oldest first (never judged twice).</summary>
    public IReadOnlyList<RolloutGateResult> Gates { get; init; } = [];

    /// <summary>
    /// The transition: <c>started</c>, <c>advanced</c>, <c>approved</c>, <c>artifacts</c> (posted for a release gate),
    /// <c>gate_passed</c>, <c>gate_failed</c>, <c>paused</c>, <c>resumed</c>, <c>aborted</c>, <c>rolled_back</c> or <c>completed</c>.
    /// </summary>
    public required string Event { get; init; }

    /// <summary>Who made it: <c>plan</c> for the runner, otherwise the person.</summary>
    public required string Actor { get; init; }

    /// <summary>Why, in words.</summary>
    public string Reason { get; init; } = "";

    /// <summary>When.</summary>
    public required DateTimeOffset At { get; init; }
}
