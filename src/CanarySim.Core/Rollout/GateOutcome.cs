namespace CanarySim.Core.Rollout;

/// <summary>The result of running one gate.</summary>
/// <param name="Gate">The gate.</param>
/// <param name="Passed">Whether it said yes.</param>
/// <param name="Detail">What happened, in words (who approved, GO/NO-GO with failed checks, rehearsal result).</param>
/// <param name="EvidencePath">Where the gate's evidence was written, if anywhere (release gate report, rehearsal log).</param>
public sealed record GateOutcome(PlanGate Gate, bool Passed, string Detail, string? EvidencePath = null);
