using CanarySim.Core.Notification;
using CanarySim.Core.Rollback;

namespace CanarySim.Service.Notification;

/// <summary>
/// Runs the <see cref="RollbackProcedure"/> of each settings change off the caller's thread (changes are raised
/// under the rollback controller's lock, and a slow webhook must never hold up an evaluation or a route), one change
/// after the other in the order they were made. Failures are logged and audited, never thrown.
/// </summary>
internal sealed class NotificationDispatcher : IDisposable
{
    private static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(10);

    private readonly RollbackProcedure _procedure;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task _tail = Task.CompletedTask;

    internal NotificationDispatcher(RollbackProcedure procedure, ILogger log)
    {
        _procedure = procedure;
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

    /// <summary>Lets queued procedures finish (bounded), then abandons what is left.</summary>
    public void Dispose()
    {
        Settled.Wait(DrainOnStop);
        _stop.Cancel();
        _stop.Dispose();
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
