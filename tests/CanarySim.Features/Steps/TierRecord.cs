namespace CanarySim.Features.Steps;

/// <summary>The tiered rollout of one scenario, once the tier steps started it (shared with the rollout-state step).</summary>
public sealed class TierRecord
{
    /// <summary>The running tiered rollout, or null before <c>When the tiers are rolled out over …</c>.</summary>
    public ProgressiveRollout? Rollout { get; set; }
}
