using CanarySim.Core.Detection;
using CanarySim.Core.Rollout;
using CanarySim.Harness.Sweeps;

namespace CanarySim.Features.Steps;

/// <summary>The plan, policy and sweep result of one policy power-analysis scenario, for the steps after them.</summary>
public sealed class SweepRecord
{
    /// <summary>The plan file (full path) and the plan read from it.</summary>
    public (string Path, RolloutPlan Plan)? Plan { get; set; }

    /// <summary>The policy file (full path) and the policy read from it; null sweeps the plan's rollback triggers.</summary>
    public (string Path, DetectorOptions Policy)? Policy { get; set; }

    /// <summary>The last sweep's summary.</summary>
    public SweepSummary? Summary { get; set; }

    /// <summary>The injected scenario of the last sweep.</summary>
    public SweepScenarioStats Injected() => Result().Scenarios.LastOrDefault(s => s.Detected is not null)
        ?? throw new InvalidOperationException("the sweep injected nothing: say 'with v2 latency +20%' or similar");

    /// <summary>The last sweep's summary, or a message saying which step is missing.</summary>
    public SweepSummary Result() => Summary ?? throw new InvalidOperationException("no sweep ran yet: add 'When it is swept over 100 seeds with v2 latency +20%'");
}
