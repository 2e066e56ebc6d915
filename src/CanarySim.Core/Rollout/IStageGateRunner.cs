namespace CanarySim.Core.Rollout;

/// <summary>
/// Runs the gates the stage machine cannot judge alone (manual approval, release gate, rollback
/// rehearsal). The simulator's runner calls the real release gate and router; the detector gate is
/// judged by the machine from the latest verdict.
/// </summary>
public interface IStageGateRunner
{
    /// <summary>Runs <paramref name="gate"/> for leaving <paramref name="stage"/> at <paramref name="at"/>.</summary>
    GateOutcome Run(PlanGate gate, PlanStage stage, DateTimeOffset at);
}
