using CanarySim.Core.Rollout;

namespace CanarySim.Service.Rollout;

/// <summary>
/// How far the current stage of a live rollout has got toward being left, stored so a restart keeps it: the healthy
/// streak (capped at what the plan needs, so it is stored only while it grows toward that) and since when each exit
/// criterion has held. Stored only when it changes. (Rollbacks in the stage are read back from the settings history.)
/// </summary>
/// <param name="Plan">The plan's name.</param>
/// <param name="StageIndex">The stage it belongs to.</param>
/// <param name="EnteredAt">When that stage was entered (a progress record of an earlier visit never applies).</param>
/// <param name="HealthyStreak">Healthy evaluations in a row, at most the plan's <c>healthy_evaluations</c>.</param>
/// <param name="CriteriaSince">Since when each exit criterion has held (null: it does not hold now), in plan order.</param>
/// <param name="At">When it was stored.</param>
public sealed record RolloutProgress(string Plan, int StageIndex, DateTimeOffset EnteredAt, int HealthyStreak, IReadOnlyList<DateTimeOffset?> CriteriaSince, DateTimeOffset At)
{
    /// <summary>The progress of <paramref name="machine"/>'s current stage now.</summary>
    public static RolloutProgress Of(RolloutPlan plan, RolloutStageMachine machine, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(machine);
        return new RolloutProgress(plan.Name, machine.StageIndex, machine.StageEnteredAt, Math.Min(machine.HealthyStreak, plan.Progression.HealthyEvaluations),
            machine.CriteriaSince, now);
    }

    /// <summary>Whether <paramref name="other"/> says the same about the same stage (the time it was stored aside).</summary>
    public bool SameAs(RolloutProgress? other) =>
        other is not null && other.Plan == Plan && other.StageIndex == StageIndex && other.EnteredAt == EnteredAt
        && other.HealthyStreak == HealthyStreak && other.CriteriaSince.SequenceEqual(CriteriaSince);
}
