namespace CanarySim.Core.Notification;

/// <summary>
/// Delivers a <see cref="GuardNotification"/> to whoever must act on it (an on-call webhook, a chat channel).
/// Implementations retry as they see fit and throw when the message could not be delivered, with a message
/// saying where and why (it is written to the audit log).
/// </summary>
public interface INotifier
{
    /// <summary>Delivers one notification; completes once it was accepted.</summary>
    /// <exception cref="NotificationException">It could not be delivered.</exception>
    Task NotifyAsync(GuardNotification notification, CancellationToken cancellationToken);
}
