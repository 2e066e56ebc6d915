using CanarySim.Core.Notification;

namespace CanarySim.Service.Rollout;

/// <summary>
/// Which live rollout transitions are sent through the configured notifier, and how: event <c>rollout_&lt;event&gt;</c>
/// (<c>rollout_started</c>, <c>rollout_advanced</c>, <c>rollout_approved</c>, <c>rollout_artifacts</c>, <c>rollout_gate_passed</c>,
/// <c>rollout_gate_failed</c>, <c>rollout_resumed</c>, <c>rollout_completed</c>) with the actor, the reason and the percentage
/// before and after. A pause, an abort and a rollback are not sent again here: their settings changes already run the
/// rollback procedure (on-call is notified once).
/// </summary>
internal static class RolloutNotifications
{
    private static readonly HashSet<string> SentByProcedure = ["paused", "aborted", "rolled_back"];

    /// <summary>The notification of the transition <paramref name="after"/> (from <paramref name="before"/>, null at the start), or null when the rollback procedure already sends one.</summary>
    public static GuardNotification? For(RolloutRecord? before, RolloutRecord after, long version, string instance, bool killSwitch)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (SentByProcedure.Contains(after.Event))
        {
            return null;
        }
        return new GuardNotification("rollout_" + after.Event, after.At, after.Actor, $"plan {after.Plan}, stage {after.Stage}: {after.Reason}", [],
            version, instance, before?.Percent ?? 0, after.Percent, killSwitch);
    }
}
