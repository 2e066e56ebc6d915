namespace CanarySim.Core.Routing;

/// <summary>
/// The one rule for the router mode a change leaves behind, used by <c>canarysim route</c> (current mode: primary)
/// and <c>PUT /guard/config</c> (current mode: the stored one): an explicit mode wins; otherwise an explicit percentage
/// above 0 means canary mode; a percentage of 0, or none, leaves the current mode as it is.
/// </summary>
public static class RouterModeRule
{
    /// <summary>The mode after a change that asks for <paramref name="requested"/> (null: none) and <paramref name="percentage"/> (null: none).</summary>
    public static RouterMode Resolve(RouterMode current, RouterMode? requested, double? percentage) =>
        requested ?? (percentage > 0 ? RouterMode.Canary : current);
}
