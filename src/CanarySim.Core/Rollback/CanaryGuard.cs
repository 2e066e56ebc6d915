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
/// failure limit hold; a policy violation acts at once whatever the limit; inconclusive holds and
/// never promotes; a metric source that keeps erroring past the consecutive-error limit rolls back.
/// Every evaluation is audited (<c>evaluation</c> events). Thread-safe.
/// </summary>
public sealed class CanaryGuard
{
    private readonly Lock _gate = new();
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
    }

    /// <summary>Builds the detector and controller over the given stores with one policy and clock.</summary>
    public CanaryGuard(IMetricsStore metrics, LiveSettings live, ISettingsStore settings, IAuditSink audit, DetectorOptions? options = null, TimeProvider? time = null)
        : this(new RegressionDetector(metrics, options, time), new RollbackController(live, settings, audit, time, options), audit, time)
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
        lock (_gate)
        {
            var m = Run.Measure(Detector.Evaluate);
            var (action, breaches) = Decide(m);
            var change = Controller.Apply(action, breaches, m.Verdict);
            var outcome = new GuardOutcome(m, Run.Phase, action, breaches, change);
            if (change is not null || _audit is not IEvaluationAuditFilter filter || filter.KeepsEvaluation(Wire(m.Phase), Wire(action)))
            {
                _audit.Append(new AuditEvent(m.At, "evaluation", EvaluationJson(outcome)));
            }
            return outcome;
        }
    }

    /// <summary>Manual re-enable after a rollback: clears the detector's sustained history and starts a new analysis run.</summary>
    public SettingsChange ReEnable(string actor, string reason, double canaryPct)
    {
        lock (_gate)
        {
            var change = Controller.ReEnable(actor, reason, canaryPct);
            Detector.Reset();
            Run = new AnalysisRun(Detector.Options, _time);
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
        lock (_gate)
        {
            var change = Controller.Resume(actor, reason);
            Run = new AnalysisRun(Detector.Options, _time);
            return change;
        }
    }

    /// <summary>Manual rollback (audited).</summary>
    public SettingsChange ManualRollback(string actor, string reason)
    {
        lock (_gate)
        {
            return Controller.ManualRollback(actor, reason);
        }
    }

    private (VerdictAction Action, IReadOnlyList<Breach> Breaches) Decide(Measurement m)
    {
        switch (m.Phase)
        {
            case MeasurementPhase.Error:
                if (Run.ConsecutiveErrors > Run.ConsecutiveErrorLimit)
                {
                    var breach = new Breach(CheckNames.MetricSource, Run.ConsecutiveErrors, Run.ConsecutiveErrorLimit,
                        $"metric_source ({Run.ConsecutiveErrors} consecutive errors > {Run.ConsecutiveErrorLimit}: {m.Error})", VerdictAction.Rollback);
                    return (VerdictAction.Rollback, [breach]);
                }
                return (VerdictAction.Hold, []);
            case MeasurementPhase.Failed:
                var verdict = m.Verdict!;
                // SPEC §2: a policy violation means immediate full rollback, whatever the failure limit.
                if (Run.Failed > Run.FailureLimit || verdict.Breaches.Any(b => b.Check == CheckNames.PolicyViolation))
                {
                    return (verdict.Action, verdict.Breaches);
                }
                return (VerdictAction.Hold, verdict.Breaches);
            case MeasurementPhase.Inconclusive:
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
            w.WriteString("measurement", Wire(o.Measurement.Phase));
            w.WriteString("run_phase", Wire(o.RunPhase));
            w.WriteString("action", Wire(o.Action));
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

    private static string Wire<T>(T value)
        where T : struct, Enum => WireName.Of(value);
}
