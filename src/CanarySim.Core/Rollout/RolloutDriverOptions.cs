namespace CanarySim.Core.Rollout;

/// <summary>How a <see cref="RolloutDriver"/> starts and records: who it acts as, where it resumes, what must be stored before it acts.</summary>
public sealed record RolloutDriverOptions
{
    /// <summary>The actor of the settings changes the driver makes. The default value is <see cref="RolloutDriver.Actor"/>.</summary>
    public string Actor { get; init; } = RolloutDriver.Actor;

    /// <summary>The stage to start at (a restarted live rollout resumes at its stored stage). The default value is 0.</summary>
    public int StageIndex { get; init; }

    /// <summary>When that stage was entered (a resumed stage keeps the hold it already served); null: now.</summary>
    public DateTimeOffset? StageEnteredAt { get; init; }

    /// <summary>The resumed stage's healthy streak (a restarted live rollout keeps it). The default value is 0.</summary>
    public int HealthyStreak { get; init; }

    /// <summary>Since when each exit criterion of the resumed stage has held (<see cref="RolloutStageMachine.CriteriaSince"/>); null: none yet.</summary>
    public IReadOnlyList<DateTimeOffset?>? CriteriaSince { get; init; }

    /// <summary>When the rollbacks (full, staged, traffic reductions) the resumed stage already saw happened; they count toward its <c>rollbacks</c> exit criterion.</summary>
    public IReadOnlyList<DateTimeOffset> Rollbacks { get; init; } = [];

    /// <summary>
    /// Called with every step that changes the rollout (advance, rollback, rolled back, completed) BEFORE the
    /// driver acts on it. When it throws, the driver does not act and the exception leaves
    /// <see cref="RolloutDriver.Observe"/>: a live runner stores each transition first, so nothing is
    /// promoted without a stored transition (the runner then rebuilds the driver from what was stored).
    /// </summary>
    public Action<StageStep>? Journal { get; init; }
}
