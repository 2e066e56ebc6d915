using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollout;

/// <summary>The outcome of a <see cref="RollbackRehearsal"/>.</summary>
/// <param name="Passed">Every smoke scenario passed on v1.</param>
/// <param name="Smoke">Per-scenario results, in order.</param>
/// <param name="EvidencePath">Where the evidence was recorded (also in the audit event).</param>
/// <param name="Before">Router settings before the rehearsal (the stage to restore).</param>
/// <param name="After">Router settings after it: <paramref name="Before"/> again when it passed, v1-only when it failed.</param>
/// <param name="Restored">Whether the previous stage was restored (only after a pass).</param>
/// <param name="At">When the rehearsal ran.</param>
public sealed record RehearsalResult(
    bool Passed,
    IReadOnlyList<SmokeResult> Smoke,
    string EvidencePath,
    RouterSettings Before,
    RouterSettings After,
    bool Restored,
    DateTimeOffset At);
