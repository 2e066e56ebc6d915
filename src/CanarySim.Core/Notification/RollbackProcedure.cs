using System.Text.Json;
using CanarySim.Core.Audit;
using CanarySim.Core.Rollback;

namespace CanarySim.Core.Notification;

/// <summary>
/// What follows a change made because something is wrong, as in a rollback runbook. After a full rollback (kill switch
/// on, by the guard or by a person) the application is first told to clear its rate limiter state (event
/// <c>clear_rate_limiter_state</c>: throttling counters built up while v2 served must not hold back the users v1 now
/// serves), then on-call is notified (event = the change kind). A staged rollback, a traffic reduction, a pause or a
/// manual-review flag notifies on-call only; other changes (config, resume, re-enable) notify nobody. Every step is
/// written to the audit log (type <c>notification</c>) whether it was delivered or not, and a failed step does not stop
/// the next one: on-call is paged even when the clear instruction could not be delivered.
/// </summary>
public sealed class RollbackProcedure
{
    /// <summary>Audit event type of each step's outcome.</summary>
    public const string AuditType = "notification";

    /// <summary>Step (and event) telling the application to clear its rate limiter state.</summary>
    public const string ClearRateLimiterState = "clear_rate_limiter_state";

    /// <summary>Step notifying on-call; its event is the change kind.</summary>
    public const string NotifyOnCall = "notify_on_call";

    private static readonly HashSet<SettingsChangeKind> OnCallKinds =
    [
        SettingsChangeKind.Rollback, SettingsChangeKind.StagedRollback, SettingsChangeKind.ReduceTraffic, SettingsChangeKind.Pause, SettingsChangeKind.ManualReview,
    ];

    private readonly INotifier _notifier;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the procedure over a notifier, recording each step in <paramref name="audit"/>.</summary>
    public RollbackProcedure(INotifier notifier, IAuditSink audit, TimeProvider time)
    {
        _notifier = notifier ?? throw new ArgumentNullException(nameof(notifier));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The steps <paramref name="change"/> calls for, in order, each with the event it sends; empty when none.</summary>
    public static IReadOnlyList<(string Step, string Event)> StepsFor(SettingsChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!OnCallKinds.Contains(change.Kind))
        {
            return [];
        }
        var kind = WireName.Of(change.Kind);
        return change.Kind == SettingsChangeKind.Rollback && change.After.KillSwitch
            ? [(ClearRateLimiterState, ClearRateLimiterState), (NotifyOnCall, kind)]
            : [(NotifyOnCall, kind)];
    }

    /// <summary>Runs the steps of <paramref name="change"/> in order and returns their outcomes (also audited).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the remaining steps did not run.</exception>
    public async Task<IReadOnlyList<ProcedureStep>> RunAsync(SettingsChange change, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<ProcedureStep>();
        foreach (var (step, @event) in StepsFor(change))
        {
            string? error = null;
            try
            {
                await _notifier.NotifyAsync(GuardNotification.From(change, @event), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                error = ex.Message;
            }
            var outcome = new ProcedureStep(step, @event, change.Version, error is null, error);
            outcomes.Add(outcome);
            _audit.Append(new AuditEvent(_time.GetUtcNow(), AuditType, JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["step"] = outcome.Step,
                ["event"] = outcome.Event,
                ["version"] = outcome.Version,
                ["delivered"] = outcome.Delivered,
                ["error"] = outcome.Error,
            })));
        }
        return outcomes;
    }
}
