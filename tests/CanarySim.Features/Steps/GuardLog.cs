using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;

namespace CanarySim.Features.Steps;

/// <summary>Per-scenario record of what the real guard decided at each evaluation (shared by the detection, playbook and rollback steps).</summary>
public sealed class GuardLog
{
    /// <summary>Every outcome, in order.</summary>
    public List<GuardOutcome> Outcomes { get; } = [];

    /// <summary>The error of the last evaluation that threw (e.g. the settings store was down), or null.</summary>
    public Exception? LastError { get; set; }

    /// <summary>The virtual time each step of traffic covered (for "the first rollback came after …").</summary>
    public TimeSpan Step { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The latest verdict.</summary>
    public Verdict LastVerdict =>
        Outcomes.LastOrDefault()?.Verdict ?? throw new InvalidOperationException("no evaluation has run yet: add a step such as 'When the regression detector evaluates'");
}
