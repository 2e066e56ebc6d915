namespace CanarySim.Core.Routing;

/// <summary>
/// One route decision, as returned and emitted (<c>type=engine_route</c>). A value type
/// so deciding never allocates.
/// </summary>
/// <param name="Selected">The engine that serves the request.</param>
/// <param name="Reason">Why.</param>
/// <param name="Bucket">The key's bucket in the algorithm's unit (see <see cref="IBucketing.Bucket"/>); for unkeyed requests the random draw in basis points; null when no bucket was needed.</param>
/// <param name="CanaryPct">The effective percentage (clamped to 0–100, segment override applied).</param>
/// <param name="KillSwitch">The kill switch in the snapshot used.</param>
/// <param name="Mode">The mode in the snapshot used.</param>
/// <param name="Phase">The rollout phase label in the snapshot used.</param>
/// <param name="Unkeyed">True when the request had neither session nor user id.</param>
/// <param name="RunShadow">True when v2 should run beside v1 as a shadow (shadow mode).</param>
/// <param name="Algorithm">The bucketing algorithm used.</param>
public readonly record struct RouteDecision(
    Engine Selected,
    RouteReason Reason,
    double? Bucket,
    double CanaryPct,
    bool KillSwitch,
    RouterMode Mode,
    string Phase,
    bool Unkeyed,
    bool RunShadow,
    BucketingAlgorithm Algorithm)
{
    /// <summary>Which engines run for this decision and who answers.</summary>
    public ExecutionPath Path => RunShadow ? ExecutionPath.V1WithShadow : Selected == Engine.V1 ? ExecutionPath.V1 : ExecutionPath.V2WithFallback;
}
