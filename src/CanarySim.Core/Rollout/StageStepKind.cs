namespace CanarySim.Core.Rollout;

/// <summary>What a stage-machine step did.</summary>
public enum StageStepKind
{
    /// <summary>Divergence was high: the stage's minimum hold was stretched.</summary>
    SlowDown,
    /// <summary>A gate passed.</summary>
    GatePassed,
    /// <summary>A gate failed: the stage holds (or rolls back, for a release-gate NO-GO or a failed rehearsal).</summary>
    GateFailed,
    /// <summary>The rollout moved to the next stage.</summary>
    Advance,
    /// <summary>The router now serves less than the stage's percentage (reduce_traffic, staged rollback): the stage holds.</summary>
    TrafficReduced,
    /// <summary>The rollout must roll back now (release-gate NO-GO or failed rehearsal): the caller performs it through the rollback controller.</summary>
    Rollback,
    /// <summary>The kill switch is on (the rollback controller acted): the rollout stopped.</summary>
    RolledBack,
    /// <summary>The last stage met its exit criteria and gates: the rollout is complete.</summary>
    Completed,
}
