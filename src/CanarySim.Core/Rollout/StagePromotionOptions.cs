namespace CanarySim.Core.Rollout;

/// <summary>Options of <see cref="StagePromotion"/>.</summary>
public sealed record StagePromotionOptions
{
    /// <summary>Promotion to this percentage or above needs a passed rollback rehearsal. The default value is 100 (a rollback rehearsal is required before 100 %).</summary>
    public double RehearsalRequiredFromPct { get; init; } = 100;

    /// <summary>The actor recorded for promotions and gate rollbacks. The default value is <c>release-gate</c>.</summary>
    public string Actor { get; init; } = "release-gate";
}
