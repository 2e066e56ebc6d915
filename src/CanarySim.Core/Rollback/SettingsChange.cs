using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollback;

/// <summary>
/// One entry of the settings history — who changed what, when and why, with the settings before
/// and after. Rollbacks are settings changes with <see cref="Kind"/> = <see cref="SettingsChangeKind.Rollback"/>.
/// </summary>
/// <param name="Sequence">Monotonic sequence number assigned by the store (0 before it is stored); it is the version the change stored.</param>
/// <param name="At">When the change was made (from the injected <see cref="TimeProvider"/>).</param>
/// <param name="Actor">Who made it: <c>auto</c> for the rollback controller, otherwise a user or system name.</param>
/// <param name="Kind">What kind of change (stored and shown as its wire name, e.g. <c>reduce_traffic</c>).</param>
/// <param name="Reason">Why, in words (for a rollback: every breach reason joined).</param>
/// <param name="Before">Settings before the change (the previous stored version).</param>
/// <param name="After">Settings after the change.</param>
/// <param name="Breaches">For automatic changes: the breach reasons that caused it.</param>
/// <param name="Instance">The instance (router process) that made the change; empty when unnamed.</param>
public sealed record SettingsChange(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    SettingsChangeKind Kind,
    string Reason,
    RouterSettings Before,
    RouterSettings After,
    IReadOnlyList<string> Breaches,
    string Instance = "")
{
    /// <summary>The settings version this change stored (the same number as <see cref="Sequence"/>).</summary>
    public long Version => Sequence;
}
