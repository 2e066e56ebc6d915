using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollout;

/// <summary>
/// Runs a rollout plan on a guard: after each guard evaluation it turns the outcome into a
/// <see cref="StageObservation"/>, feeds the plan's one <see cref="RolloutStageMachine"/> and acts on
/// what the machine decided through the rollback controller (which writes the router settings store and
/// the audit log). The rules of advancing, holding and rolling back live here and in the machine, and
/// nowhere else: the simulator, the feature steps and a live runner all drive rollouts through this class.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Advancing sets the next stage's router mode (shadow or canary) and percentage, as one audited change by <see cref="Actor"/>.</item>
/// <item>A stage may be left only when the verdict passes, the detector asks for no action, the controller can promote (no pause, no pending manual review) and the router serves the stage's full percentage.</item>
/// <item>A failed release gate or rollback rehearsal rolls back (kill switch on) unless the kill switch already is.</item>
/// <item>The exit-criterion figures are the detector's v2 window figures, with the fallback rate over the detector's rolling fallback window (the one its fallback check judges), complaints per hour over the detector's complaints period (the last hour by default), and rollbacks counted since the stage began: full and staged rollbacks and traffic reductions, whoever made them.</item>
/// </list>
/// Time comes from the guard's measurements and the given <see cref="TimeProvider"/>; it works on
/// <see cref="TimeProvider.System"/> as on a virtual clock. Not thread-safe: evaluate from one thread.
/// The driver listens to the controller's changes for as long as the controller lives.
/// </remarks>
public sealed class RolloutDriver
{
    /// <summary>The actor recorded for the settings changes the driver makes.</summary>
    public const string Actor = "rollout";

    private readonly CanaryGuard _guard;
    private readonly IRolloutSignals? _signals;
    private readonly string _actor;
    private readonly Action<StageStep>? _journal;
    private readonly List<DateTimeOffset> _rollbacks = [];

    /// <summary>Prepares the rollout of <paramref name="plan"/> at its first stage, now.</summary>
    /// <param name="plan">The plan (validated here).</param>
    /// <param name="guard">The detector and rollback controller the rollout acts through.</param>
    /// <param name="gates">Runs the stages' manual, release and rehearsal gates.</param>
    /// <param name="time">The clock; the first stage is entered at its current time.</param>
    /// <param name="signals">Decision diffs and period figures, when the caller measures them.</param>
    /// <param name="options">Actor, the stage to resume at and the journal; null: the first stage, now, as <see cref="Actor"/>.</param>
    /// <exception cref="PlanValidationException">The plan is invalid.</exception>
    public RolloutDriver(RolloutPlan plan, CanaryGuard guard, IStageGateRunner gates, TimeProvider time, IRolloutSignals? signals = null, RolloutDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(time);
        PlanValidator.EnsureValid(plan);
        _guard = guard ?? throw new ArgumentNullException(nameof(guard));
        _signals = signals;
        options ??= new RolloutDriverOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Actor);
        ArgumentOutOfRangeException.ThrowIfNegative(options.StageIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.StageIndex, plan.Stages.Count);
        _actor = options.Actor;
        _journal = options.Journal;
        Plan = plan;
        Machine = new RolloutStageMachine(plan, gates, options.StageEnteredAt ?? time.GetUtcNow(), options.StageIndex);
        Machine.Resume(options.HealthyStreak, options.CriteriaSince);
        _rollbacks.AddRange(options.Rollbacks.Order());
        guard.Controller.Changed += OnChanged;
    }

    /// <summary>Raised after the driver acted on each step the machine decided, in order.</summary>
    public event Action<StageStep>? Stepped;

    /// <summary>The plan being rolled out: its stages, gates and exit criteria feed the stage machine.</summary>
    public RolloutPlan Plan { get; }

    /// <summary>The stage machine (read its state; only the driver feeds it).</summary>
    public RolloutStageMachine Machine { get; }

    /// <summary>The current stage.</summary>
    public PlanStage Stage => Machine.Stage;

    /// <summary>Where the rollout stands.</summary>
    public RolloutStatus Status => Machine.Status;

    /// <summary>The last observation the machine was given (null before the first).</summary>
    public StageObservation? LastObservation { get; private set; }

    /// <summary>The router settings a stage runs with: shadow mode for a shadow stage, else canary mode, at the stage's percentage.</summary>
    public static RouterSettings SettingsFor(PlanStage stage, RouterSettings current)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            Mode = stage.Kind == StageKind.Shadow ? RouterMode.Shadow : RouterMode.Canary,
            CanaryPct = stage.Percent,
        };
    }

    /// <summary>Moves the router to the current stage's mode and percentage (audited) unless it already runs them; returns the change made.</summary>
    public SettingsChange? Start()
    {
        var current = _guard.Controller.Current;
        var wanted = SettingsFor(Stage, current);
        if (wanted == current)
        {
            return null;
        }
        return _guard.Controller.UpdateConfig(_actor, $"rollout starts at {Stage.Name}", s => SettingsFor(Stage, s));
    }

    /// <summary>Stops listening to the controller's changes (a live runner that rebuilds its driver detaches the old one).</summary>
    public void Detach() => _guard.Controller.Changed -= OnChanged;

    /// <summary>Evaluates once through the guard (which may act), then observes the outcome.</summary>
    public RolloutEvaluation Evaluate()
    {
        var outcome = _guard.EvaluateAndAct();
        return new RolloutEvaluation(outcome, Observe(outcome));
    }

    /// <summary>Feeds one guard outcome to the machine and acts on its steps; returns the steps (usually none).</summary>
    public IReadOnlyList<StageStep> Observe(GuardOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var observation = ToObservation(outcome);
        LastObservation = observation;
        var steps = Machine.Observe(observation);
        foreach (var step in steps)
        {
            if (step.Kind is StageStepKind.Advance or StageStepKind.Rollback or StageStepKind.RolledBack or StageStepKind.Completed)
            {
                _journal?.Invoke(step);
            }
            Act(step);
            Stepped?.Invoke(step);
        }
        return steps;
    }

    private void Act(StageStep step)
    {
        switch (step.Kind)
        {
            case StageStepKind.Advance:
                var stage = Plan.Stages[step.StageIndex];
                _guard.Controller.UpdateConfig(_actor, step.Reason, s => SettingsFor(stage, s));
                break;
            case StageStepKind.Rollback:
                if (!_guard.Controller.Current.KillSwitch)
                {
                    _guard.ManualRollback(_actor, step.Reason);
                }
                break;
        }
    }

    private StageObservation ToObservation(GuardOutcome outcome)
    {
        var verdict = outcome.Verdict;
        var settings = _guard.Controller.Current;
        var action = verdict?.Action ?? VerdictAction.Hold;
        if (action == VerdictAction.None && !_guard.Controller.CanPromote)
        {
            action = VerdictAction.Hold; // a paused controller or a pending manual review holds the percentage
        }
        var at = outcome.Measurement.At;
        var signals = _signals;
        return new StageObservation
        {
            At = at,
            Verdict = verdict?.Outcome,
            Action = action,
            Breaches = outcome.Breaches.Count == 0 ? [] : outcome.Breaches.Select(b => b.Reason).ToList(),
            KillSwitch = settings.KillSwitch,
            ServedPercent = settings.Mode == RouterMode.Shadow ? Stage.Percent : settings.CanaryPct,
            Metrics = verdict is null ? new RolloutMetrics() : Metrics(verdict),
            PeriodMetrics = signals is null ? null : (metric, period) => signals.Over(metric, period, at),
        };
    }

    private RolloutMetrics Metrics(Verdict v)
    {
        double? divergence = null;
        if (_signals is { } s && s.DiffsCompared >= Plan.Progression.MinDiffsForDivergence && s.DiffsCompared > 0)
        {
            divergence = (double)s.DiffsChanged / s.DiffsCompared;
        }
        var since = Machine.StageEnteredAt;
        var rollbacks = 0;
        for (var i = _rollbacks.Count - 1; i >= 0 && _rollbacks[i] >= since; i--)
        {
            rollbacks++;
        }
        return new RolloutMetrics
        {
            ErrorRate = v.V2.Count == 0 ? null : v.V2.ErrorRate,
            P50LatencyMs = v.V2.P50LatencyMs,
            P95LatencyMs = v.V2.P95LatencyMs,
            P99LatencyMs = v.V2.P99LatencyMs,
            Quality = v.V2.MeanQuality,
            QualityDrop = v.V1.MeanQuality is { } q1 && v.V2.MeanQuality is { } q2 ? q1 - q2 : null,
            CostCents = v.V2.MeanCostCents,
            FallbackRate = v.V2.FallbackRateRolling ?? (v.V2.Count == 0 ? null : v.V2.FallbackRate),
            PolicyViolations = v.V2.PolicyViolations,
            Complaints = v.V2.ComplaintsPerHour,
            Divergence = divergence,
            Rollbacks = rollbacks,
            Samples = v.Samples.V2,
        };
    }

    private void OnChanged(SettingsChange change)
    {
        if (change.Kind is SettingsChangeKind.Rollback or SettingsChangeKind.StagedRollback or SettingsChangeKind.ReduceTraffic)
        {
            _rollbacks.Add(change.At);
        }
    }
}
