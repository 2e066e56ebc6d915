using CanarySim.Core.Rollback;

namespace CanarySim.Core.Rollout;

/// <summary>What <see cref="StagePromotion.Apply"/> did with a gate report.</summary>
/// <param name="Action"><c>promoted</c>, <c>hold</c> (GO at the last stage), <c>rolled_back</c> (NO-GO) or <c>blocked</c> (GO but not allowed to move).</param>
/// <param name="Detail">Why, in words.</param>
/// <param name="Change">The recorded settings change, when the router settings changed.</param>
public sealed record PromotionOutcome(string Action, string Detail, SettingsChange? Change);
