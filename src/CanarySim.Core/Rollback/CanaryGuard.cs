using System.Text;
using System.Text.Json;
using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollback;

/// <summary>
/// The detector and the rollback controller wired together, as the service, the simulator and
/// the rehearsals use them: <see cref="EvaluateAndAct"/> takes one measurement through an
/// Argo-style <see cref="AnalysisRun"/>, decides the action and applies it. Failures within the
/// failure limit hold; a policy violation acts at once whatever the limit; a breach still inside its
/// sustain window is pending (holds, counts toward no limit, the run carries on when it clears);
/// an inconclusive run (beyond the inconclusive limit) pauses visibly until <see cref="Resume"/>; a metric source that keeps erroring past the consecutive-error limit rolls back.
/// Every evaluation is audited (<c>evaluation</c> events). Thread-safe.
/// </summary>
public sealed class CanaryGuard
{
    private readonly Lock _lock = new();
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;

    /// <summary>Wires a guard from its parts.</summary>
    public CanaryGuard(RegressionDetector detector, RollbackController controller, IAuditSink audit, TimeProvider? time = null)
    {
        Detector = detector ?? throw new ArgumentNullException(nameof(detector));
        Controller = controller ?? throw new ArgumentNullException(nameof(controller));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? TimeProvider.System;
        Run = new AnalysisRun(detector.Options, _time);
        _evaluate = detector.Evaluate;
    }

    // One delegate for every evaluation (a method group converted at each call would allocate one per evaluation).
    private readonly Func<Verdict> _evaluate;

    /// <summary>Builds the detector and controller over the given stores with one policy and clock; <paramref name="external"/> answers the policy's Prometheus checks.</summary>
    public CanaryGuard(IMetricsStore metrics, LiveSettings live, ISettingsStore settings, IAuditSink audit, DetectorOptions? options = null, TimeProvider? time = null,
        IExternalMetricSource? external = null)
        : this(new RegressionDetector(metrics, options, time, external), new RollbackController(live, settings, audit, time, options), audit, time)
    {
    }

    /// <summary>The regression detector.</summary>
    public RegressionDetector Detector { get; }

    /// <summary>The rollback controller.</summary>
    public RollbackController Controller { get; }

    /// <summary>The current analysis run (a new one starts at every re-enable).</summary>
    public AnalysisRun Run { get; private set; }

    /// <summary>Takes one measurement and acts on it.</summary>
    public GuardOutcome EvaluateAndAct()
    {
        lock (_lock)
        {
            return Act(Run.Measure(_evaluate));
        }
    }

    /// <summary>Takes one measurement, querying the policy's external sources (Prometheus) first, and acts on it.</summary>
    public async Task<GuardOutcome> EvaluateAndActAsync(CancellationToken cancellationToken = default)
    {
        Verdict? verdict = null;
        string? error = null;
        try
        {
            verdict = await Detector.EvaluateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // any failure of the metric store is an error measurement, whatever its type
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex.Message;
        }
        lock (_lock)
        {
            return Act(verdict is null ? Run.RecordError(error!) : Run.Record(verdict));
        }
    }

    private GuardOutcome Act(Measurement m)
    {
        var (action, breaches) = Decide(m);
        var change = Controller.Apply(action, breaches, m.Verdict);
        var outcome = new GuardOutcome(m, Run.Phase, action, breaches, change);
        if (change is not null || _audit is not IEvaluationAuditFilter filter || filter.KeepsEvaluation(WireName.Of(m.Phase), WireName.Of(action)))
        {
            _audit.Append(new AuditEvent(m.At, "evaluation", EvaluationJson(outcome)));
        }
        return outcome;
    }

    /// <summary>Manual re-enable after a rollback: clears the detector's sustained history and starts a new analysis run.</summary>
    public SettingsChange ReEnable(string actor, string reason, double canaryPct)
    {
        lock (_lock)
        {
            var change = Controller.ReEnable(actor, reason, canaryPct);
            RestartAnalysis();
            return change;
        }
    }

    /// <summary>
    /// A human clears a pause, a staged rollback in progress or a manual-review flag, and a new analysis
    /// run starts (as Argo Rollouts starts a new AnalysisRun when a paused rollout is resumed): without
    /// it, a run that ended inconclusive or failed would keep every later evaluation holding. Not a way
    /// out of a full rollback (that is <see cref="ReEnable"/>). Audited.
    /// </summary>
    /// <exception cref="InvalidOperationException">The canary is rolled back.</exception>
    public SettingsChange Resume(string actor, string reason)
    {
        lock (_lock)
        {
            var change = Controller.Resume(actor, reason);
            Run = new AnalysisRun(Detector.Options, _time);
            return change;
        }
    }

    /// <summary>
    /// A config change (API, CLI) applied to the latest stored settings; nothing is recorded when it
    /// changes nothing. Turning the kill switch off is a re-enable: the detector's sustained history
    /// clears and a new analysis run starts.
    /// </summary>
    /// <exception cref="SettingsConflictException"><paramref name="expectedVersion"/> is given and is not the stored version.</exception>
    public SettingsChange? UpdateConfig(string actor, string reason, Func<RouterSettings, RouterSettings> update, long? expectedVersion = null)
    {
        lock (_lock)
        {
            var change = Controller.UpdateConfigIfChanged(actor, reason, update, expectedVersion);
            if (change is { Kind: SettingsChangeKind.ReEnable })
            {
                RestartAnalysis();
            }
            return change;
        }
    }

    /// <summary>
    /// Takes a newer stored version written by another instance into the live snapshot; when it ends a
    /// rollback (re-enabled elsewhere), the detector's history clears and a new analysis run starts.
    /// </summary>
    /// <returns>True when the live snapshot changed.</returns>
    public bool Refresh(VersionedSettings stored)
    {
        lock (_lock)
        {
            var wasRolledBack = Controller.State == RollbackState.RolledBack;
            var adopted = Controller.Refresh(stored);
            if (adopted && wasRolledBack && Controller.State != RollbackState.RolledBack)
            {
                RestartAnalysis();
            }
            return adopted;
        }
    }

    /// <summary>Manual rollback (audited).</summary>
    public SettingsChange ManualRollback(string actor, string reason)
    {
        lock (_lock)
        {
            return Controller.ManualRollback(actor, reason);
        }
    }

    private void RestartAnalysis()
    {
        Detector.Reset();
        Run = new AnalysisRun(Detector.Options, _time);
    }

    private (VerdictAction Action, IReadOnlyList<Breach> Breaches) Decide(Measurement m)
    {
        switch (m.Phase)
        {
            case MeasurementPhase.Error:
                if (Run.Phase == AnalysisPhase.Error)
                {
                    var why = m.Error ?? string.Join("; ", m.Verdict?.Errors.Select(e => e.Message) ?? []);
                    var breach = new Breach(CheckNames.MetricSource, Run.ConsecutiveErrors, Run.ConsecutiveErrorLimit,
                        $"metric_source ({Run.ConsecutiveErrors} consecutive errors > {Run.ConsecutiveErrorLimit}: {why})", VerdictAction.Rollback);
                    return (VerdictAction.Rollback, [breach]);
                }
                return (VerdictAction.Hold, []);
            case MeasurementPhase.Failed:
                var verdict = m.Verdict!;
                // A policy violation means immediate full rollback, whatever the failure limit.
                if (Run.Phase == AnalysisPhase.Failed || verdict.Breaches.Any(b => b.Check == CheckNames.PolicyViolation))
                {
                    return (verdict.Action, verdict.Breaches);
                }
                return (VerdictAction.Hold, verdict.Breaches);
            case MeasurementPhase.Inconclusive:
                if (Run.Phase == AnalysisPhase.Inconclusive)
                {
                    // Neither pass nor fail can be decided: pause visibly until a human resumes.
                    return (VerdictAction.Pause, m.Verdict!.Inconclusive.Select(b => b with
                    {
                        Reason = PauseReasons.Inconclusive(b.Check, b.Value, b.Reason),
                        Action = VerdictAction.Pause,
                    }).ToList());
                }
                return (VerdictAction.Hold, m.Verdict!.Inconclusive);
            case MeasurementPhase.Pending:
                // Still inside its sustain window: hold this evaluation, carry on as soon as it clears.
                return (VerdictAction.Hold, m.Verdict!.Pending);
            default:
                return (Run.Phase == AnalysisPhase.Inconclusive ? VerdictAction.Hold : VerdictAction.None, []);
        }
    }

    private static string EvaluationJson(GuardOutcome o)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("measurement", WireName.Of(o.Measurement.Phase));
            w.WriteString("run_phase", WireName.Of(o.RunPhase));
            w.WriteString("action", WireName.Of(o.Action));
            if (o.Measurement.Error is { } error)
            {
                w.WriteString("error", error);
            }
            if (o.Change is { } change)
            {
                w.WriteNumber("change_sequence", change.Sequence);
            }
            if (o.Verdict is { } v)
            {
                w.WritePropertyName("verdict");
                JsonSerializer.Serialize(w, v, VerdictJson.Options);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
