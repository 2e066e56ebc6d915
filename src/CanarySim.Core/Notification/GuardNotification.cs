using CanarySim.Core.Rollback;

namespace CanarySim.Core.Notification;

/// <summary>
/// One message to the people or systems that must act when the guard changes the canary: what happened
/// (<see cref="Event"/>), why, and the traffic before and after. Built from the stored settings change.
/// </summary>
/// <param name="Event">
/// The change kind (<c>rollback</c>, <c>staged_rollback</c>, <c>reduce_traffic</c>, <c>pause</c>, <c>manual_review</c>) for an
/// on-call notice, or a rollback-procedure instruction such as <c>clear_rate_limiter_state</c>.
/// </param>
/// <param name="At">When the change was made.</param>
/// <param name="Actor">Who made it: <c>auto</c> for the guard, otherwise the person.</param>
/// <param name="Reason">Why, in words (every breach reason joined for an automatic change).</param>
/// <param name="Breaches">The breach reasons that caused an automatic change; empty for a manual one.</param>
/// <param name="Version">The settings version the change stored.</param>
/// <param name="Instance">The guard instance that made the change; empty when unnamed.</param>
/// <param name="CanaryPctBefore">v2's traffic share before the change, in percent.</param>
/// <param name="CanaryPctAfter">v2's traffic share after the change, in percent.</param>
/// <param name="KillSwitch">Whether the kill switch is on after the change (every request served by v1).</param>
public sealed record GuardNotification(
    string Event,
    DateTimeOffset At,
    string Actor,
    string Reason,
    IReadOnlyList<string> Breaches,
    long Version,
    string Instance,
    double CanaryPctBefore,
    double CanaryPctAfter,
    bool KillSwitch)
{
    /// <summary>The notification of <paramref name="change"/>, with <paramref name="event"/> in place of its kind when given.</summary>
    public static GuardNotification From(SettingsChange change, string? @event = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new GuardNotification(@event ?? WireName.Of(change.Kind), change.At, change.Actor, change.Reason, change.Breaches, change.Version,
            change.Instance, change.Before.CanaryPct, change.After.CanaryPct, change.After.KillSwitch);
    }
}
