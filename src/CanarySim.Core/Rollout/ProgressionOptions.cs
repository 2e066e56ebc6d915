using System.ComponentModel.DataAnnotations;

namespace CanarySim.Core.Rollout;

/// <summary>
/// Automated progression (auto-increase when healthy for N,
/// auto-slow when divergence is high, staged rollback). Every default lives here.
/// </summary>
public sealed record ProgressionOptions
{
    /// <summary>Advance only after this many consecutive healthy evaluations (detector verdict pass). The default value is 30.</summary>
    [Range(1, 1_000_000)]
    public int HealthyEvaluations { get; init; } = 30;

    /// <summary>Divergence (share of compared decisions that differ) above which progression slows down. The default value is 0.25.</summary>
    [Range(0.0, 1.0)]
    public double MaxDivergence { get; init; } = 0.25;

    /// <summary>How much longer a stage holds when divergence is high (the minimum hold is multiplied). The default value is 2.</summary>
    [Range(1.0, 100.0)]
    public double SlowDownFactor { get; init; } = 2.0;

    /// <summary>Staged rollback (a detector policy option, e.g. 50 → 25 → 0): halve the percentage on each consecutive rollback verdict instead of going straight to 0. The default value is false.</summary>
    public bool StagedRollback { get; init; }

    /// <summary>Share of canary requests also run on the other engine and diffed, to measure divergence outside shadow. The default value is 0.02.</summary>
    [Range(0.0, 1.0)]
    public double DiffSampleRate { get; init; } = 0.02;

    /// <summary>Minimum number of diffed decisions before divergence may slow a stage down. The default value is 50.</summary>
    [Range(1, 1_000_000)]
    public int MinDiffsForDivergence { get; init; } = 50;
}
