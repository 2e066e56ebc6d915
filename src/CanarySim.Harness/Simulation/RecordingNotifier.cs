using CanarySim.Core.Notification;

namespace CanarySim.Harness.Simulation;

/// <summary>The outside world a simulated guard notifies: it takes every notification at once and keeps it, in order.</summary>
internal sealed class RecordingNotifier : INotifier
{
    private readonly List<GuardNotification> _sent = [];

    /// <summary>What was sent, oldest first.</summary>
    public IReadOnlyList<GuardNotification> Sent => _sent;

    public Task NotifyAsync(GuardNotification notification, CancellationToken cancellationToken)
    {
        _sent.Add(notification);
        return Task.CompletedTask;
    }
}
