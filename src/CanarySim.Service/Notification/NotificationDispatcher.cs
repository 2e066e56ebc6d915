using System.Text.Json;
using CanarySim.Core.Audit;
using CanarySim.Core.Notification;
using CanarySim.Core.Rollback;

namespace CanarySim.Service.Notification;

/// <summary>
/// Runs the <see cref="RollbackProcedure"/> of each settings change off the caller's thread (changes are raised
/// under the rollback controller's lock, and a slow webhook must never hold up an evaluation or a route), one change
/// after the other in the order they were made; and sends the live rollout's other transitions (start, advance,
/// approval, gates, completion: <see cref="Enqueue(GuardNotification)"/>) in the same queue, each audited as a
/// <c>notification</c> event with step <see cref="NotifyRollout"/>. Failures are logged and audited, never thrown.
/// </summary>
internal sealed class NotificationDispatcher : IDisposable
{
    private static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(10);

    /// <summary>The audited step of a rollout transition's notification.</summary>
    internal const string NotifyRollout = "notify_rollout";

    private readonly RollbackProcedure _procedure;
    private readonly INotifier _notifier;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task _tail = Task.CompletedTask;

    internal NotificationDispatcher(INotifier notifier, IAuditSink audit, TimeProvider time, ILogger log)
    {
        _procedure = new RollbackProcedure(notifier, audit, time);
        _notifier = notifier;
        _audit = audit;
        _time = time;
        _log = log;
    }

    /// <summary>Completes when every change enqueued so far has run its procedure.</summary>
    internal Task Settled
    {
        get
        {
            lock (_lock)
            {
                return _tail;
            }
        }
    }

    /// <summary>Queues the procedure of <paramref name="change"/> (nothing when the change calls for none).</summary>
    internal void Enqueue(SettingsChange change)
    {
        if (RollbackProcedure.StepsFor(change).Count == 0)
        {
            return;
        }
        lock (_lock)
        {
            _tail = _tail.ContinueWith(_ => RunAsync(change), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>Queues one notification that is not a settings change's procedure (a live rollout's transition).</summary>
    internal void Enqueue(GuardNotification notification)
    {
        lock (_lock)
        {
            _tail = _tail.ContinueWith(_ => SendAsync(notification), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>Lets queued procedures finish (bounded), then abandons what is left.</summary>
    public void Dispose()
    {
        Settled.Wait(DrainOnStop);
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task SendAsync(GuardNotification notification)
    {
        string? error = null;
        try
        {
            await _notifier.NotifyAsync(notification, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _log.LogWarning("notification {Event} abandoned at shutdown", notification.Event);
            return;
        }
        catch (Exception ex)
        {
            error = ex.Message;
            _log.LogError("notification {Event} failed: {Error}", notification.Event, error);
        }
        try
        {
            _audit.Append(new AuditEvent(_time.GetUtcNow(), RollbackProcedure.AuditType, JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["step"] = NotifyRollout,
                ["event"] = notification.Event,
                ["version"] = notification.Version,
                ["delivered"] = error is null,
                ["error"] = error,
            })));
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "auditing notification {Event} failed", notification.Event);
        }
    }

    private async Task RunAsync(SettingsChange change)
    {
        try
        {
            foreach (var step in await _procedure.RunAsync(change, _stop.Token).ConfigureAwait(false))
            {
                if (!step.Delivered)
                {
                    _log.LogError("rollback procedure step {Step} for settings version {Version} failed: {Error}", step.Step, step.Version, step.Error);
                }
            }
        }
        catch (OperationCanceledException)
        {
            _log.LogWarning("rollback procedure for settings version {Version} abandoned at shutdown", change.Version);
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "rollback procedure for settings version {Version} failed", change.Version);
        }
    }
}
