using System.Globalization;
using CanarySim.Core.Detection;

namespace CanarySim.Core.Rollout;

/// <summary>
/// Moves a rollout through its plan's stages. Pure logic, driven by observations (one per
/// detector evaluation) — no clock, no I/O. Built and fed only by <see cref="RolloutDriver"/>. A stage is left when its minimum hold has elapsed (stretched
/// when divergence is high), the detector has been healthy for N consecutive evaluations, every exit
/// criterion has held for its duration, and every gate passes; a release-gate NO-GO or a failed
/// rehearsal asks the caller to roll back; a kill switch turned on by the rollback controller stops it.
/// </summary>
public sealed class RolloutStageMachine
{
    private static readonly IReadOnlyList<StageStep> None = [];
    private readonly RolloutPlan _plan;
    private readonly IStageGateRunner _gates;
    private DateTimeOffset?[] _criterionSince = [];
    private readonly HashSet<int> _passedGates = [];
    private bool _reduced;
    private string? _gateFailure;

    /// <summary>Starts at stage <paramref name="stageIndex"/> (the first by default), entered at <paramref name="start"/>.</summary>
    internal RolloutStageMachine(RolloutPlan plan, IStageGateRunner gates, DateTimeOffset start, int stageIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(gates);
        if (plan.Stages.Count == 0)
        {
            throw new ArgumentException("the plan has no stages", nameof(plan));
        }
        _plan = plan;
        _gates = gates;
        Enter(stageIndex, start);
    }

    /// <summary>Index of the current stage.</summary>
    public int StageIndex { get; private set; }

    /// <summary>The current stage.</summary>
    public PlanStage Stage => _plan.Stages[StageIndex];

    /// <summary>When the current stage was entered.</summary>
    public DateTimeOffset StageEnteredAt { get; private set; }

    /// <summary>The minimum hold in force (the stage's, stretched by a slow-down).</summary>
    public TimeSpan EffectiveMinHold { get; private set; }

    /// <summary>Whether the current stage was slowed down for high divergence.</summary>
    public bool SlowedDown { get; private set; }

    /// <summary>Consecutive healthy evaluations in the current stage.</summary>
    public int HealthyStreak { get; private set; }

    /// <summary>Where the rollout stands.</summary>
    public RolloutStatus Status { get; private set; } = RolloutStatus.Running;

    /// <summary>Since when each exit criterion of the current stage has held without a break (null: it does not hold now), in plan order.</summary>
    public IReadOnlyList<DateTimeOffset?> CriteriaSince => [.. _criterionSince];

    /// <summary>
    /// Carries a resumed stage's progress over a restart: its healthy streak and since when each exit criterion has held
    /// (as <see cref="HealthyStreak"/> and <see cref="CriteriaSince"/> read before the restart).
    /// </summary>
    internal void Resume(int healthyStreak, IReadOnlyList<DateTimeOffset?>? criteriaSince)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(healthyStreak);
        HealthyStreak = healthyStreak;
        if (criteriaSince is not null && criteriaSince.Count == _criterionSince.Length)
        {
            _criterionSince = [.. criteriaSince];
        }
    }

    /// <summary>Whether every exit criterion of the current stage has held for its duration as of the last observation.</summary>
    public bool ExitCriteriaMet { get; private set; }

    /// <summary>
    /// Why the current stage was not left at the last observation, in words (e.g. <c>minimum hold 1d not
    /// reached (held 5h)</c>, <c>exit criterion error_rate &lt; 0.02 for 1d not met</c>, <c>manual_approval gate
    /// failed: …</c>); empty when the stage was just entered or left, or the rollout has ended.
    /// </summary>
    public IReadOnlyList<string> HeldBecause
    {
        get => _held is HoldSnapshot hold ? hold.Reasons : (IReadOnlyList<string>)_held;
        private set => _held = value;
    }

    // The texts of HeldBecause, or (after an evaluation that held the stage) what they are made of: the words are
    // built only when someone reads them, not on every evaluation. One reference, so a reader sees one or the other.
    private object _held = Array.Empty<string>();

    /// <summary>Takes one observation; returns what happened (usually nothing).</summary>
    public IReadOnlyList<StageStep> Observe(StageObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (Status != RolloutStatus.Running)
        {
            return None;
        }
        var at = observation.At;
        var stage = Stage;
        if (observation.KillSwitch)
        {
            Status = RolloutStatus.RolledBack;
            var why = observation.Breaches.Count > 0 ? string.Join("; ", observation.Breaches) : "kill switch on";
            return [new StageStep(StageStepKind.RolledBack, at, StageIndex, stage.Percent, 0, $"rolled back at {Pct(stage.Percent)}: {why}")];
        }
        if (!observation.MetricsAvailable)
        {
            // Nothing can be judged without metrics: the streak breaks, the stage holds.
            HealthyStreak = 0;
            HeldBecause = ["no detector verdict (the metric source failed)"];
            return None;
        }

        List<StageStep>? steps = null;
        var reducedNow = observation.ServedPercent + 1e-9 < stage.Percent;
        if (reducedNow && !_reduced)
        {
            (steps ??= []).Add(new StageStep(StageStepKind.TrafficReduced, at, StageIndex, stage.Percent, observation.ServedPercent,
                $"router now serves {Pct(observation.ServedPercent)} instead of {Pct(stage.Percent)}"
                + (observation.Breaches.Count > 0 ? ": " + string.Join("; ", observation.Breaches) : "")));
        }
        _reduced = reducedNow;

        var healthy = observation.Verdict == VerdictOutcome.Pass && observation.Action == VerdictAction.None && !reducedNow;
        HealthyStreak = healthy ? HealthyStreak + 1 : 0;

        var unmet = new List<ExitCriterion>();
        for (var i = 0; i < stage.ExitCriteria.Count; i++)
        {
            var c = stage.ExitCriteria[i];
            bool holds;
            if (c.For > TimeSpan.Zero && observation.PeriodMetrics is { } period)
            {
                // Aggregated over the last `for` of this stage: the stage must have lasted that long.
                holds = at - StageEnteredAt >= c.For && c.IsSatisfiedBy(period(c.Metric, c.For));
            }
            else if (c.IsSatisfiedBy(observation.Metrics.Get(c.Metric)))
            {
                _criterionSince[i] ??= at;
                holds = at - _criterionSince[i]!.Value >= c.For;
            }
            else
            {
                _criterionSince[i] = null;
                holds = false;
            }
            if (!holds)
            {
                unmet.Add(c);
            }
        }
        var met = unmet.Count == 0;
        ExitCriteriaMet = met;

        if (!SlowedDown && observation.Metrics.Divergence is { } d && d > _plan.Progression.MaxDivergence)
        {
            SlowedDown = true;
            EffectiveMinHold = TimeSpan.FromTicks((long)(stage.MinHold.Ticks * _plan.Progression.SlowDownFactor));
            (steps ??= []).Add(new StageStep(StageStepKind.SlowDown, at, StageIndex, stage.Percent, stage.Percent,
                $"divergence {d.ToString("P1", CultureInfo.InvariantCulture)} > {_plan.Progression.MaxDivergence.ToString("P0", CultureInfo.InvariantCulture)}: minimum hold stretched to {PlanDuration.Format(EffectiveMinHold)}"));
        }

        var eligible = met && healthy && at - StageEnteredAt >= EffectiveMinHold && HealthyStreak >= _plan.Progression.HealthyEvaluations;
        if (!eligible)
        {
            _held = new HoldSnapshot(observation, Stage.Percent, reducedNow, unmet, at - StageEnteredAt, EffectiveMinHold, HealthyStreak,
                _plan.Progression.HealthyEvaluations, _gateFailure);
            return steps ?? None;
        }
        steps ??= [];
        for (var g = 0; g < stage.Gates.Count; g++)
        {
            if (_passedGates.Contains(g))
            {
                continue;
            }
            var gate = stage.Gates[g];
            var outcome = gate.Kind == GateKind.Detector
                ? new GateOutcome(gate, true, $"detector verdict pass ({HealthyStreak} healthy evaluations in a row)")
                : _gates.Run(gate, stage, at);
            if (outcome.Passed)
            {
                _passedGates.Add(g);
                _gateFailure = null;
                steps.Add(new StageStep(StageStepKind.GatePassed, at, StageIndex, stage.Percent, stage.Percent, outcome.Detail, outcome));
                continue;
            }
            steps.Add(new StageStep(StageStepKind.GateFailed, at, StageIndex, stage.Percent, stage.Percent, outcome.Detail, outcome));
            if (gate.Kind is GateKind.ReleaseGate or GateKind.RollbackRehearsal && !outcome.Pending)
            {
                // A release-gate NO-GO or a failed rehearsal means an immediate rollback to the previous engine.
                Status = RolloutStatus.RolledBack;
                steps.Add(new StageStep(StageStepKind.Rollback, at, StageIndex, stage.Percent, 0, $"{WireName.Of(gate.Kind)} failed: {outcome.Detail}", outcome));
            }
            else
            {
                // A manual approval not given yet (or any gate still pending, e.g. release-gate artifacts not posted)
                // holds the stage without breaking the detector's healthy streak: the stage is left at the first
                // healthy evaluation after it passes.
                _gateFailure = outcome.Pending ? $"{WireName.Of(gate.Kind)} gate waiting: {outcome.Detail}" : $"{WireName.Of(gate.Kind)} gate failed: {outcome.Detail}";
                HeldBecause = [_gateFailure];
            }
            return steps;
        }

        if (StageIndex == _plan.Stages.Count - 1)
        {
            Status = RolloutStatus.Completed;
            steps.Add(new StageStep(StageStepKind.Completed, at, StageIndex, stage.Percent, stage.Percent,
                $"{stage.Name} held {PlanDuration.Format(at - StageEnteredAt)} with every exit criterion and gate met"));
            return steps;
        }
        var next = _plan.Stages[StageIndex + 1];
        var reason = $"{stage.Name} → {next.Name}: held {PlanDuration.Format(at - StageEnteredAt)}, {HealthyStreak} healthy evaluations"
                     + (stage.ExitCriteria.Count > 0 ? ", exit criteria met (" + string.Join("; ", stage.ExitCriteria) + ")" : "");
        Enter(StageIndex + 1, at);
        steps.Add(new StageStep(StageStepKind.Advance, at, StageIndex, stage.Percent, next.Percent, reason));
        return steps;
    }

    /// <summary>Marks the rollout rolled back from outside (e.g. a manual rollback); no further steps.</summary>
    public void Abort() => Status = RolloutStatus.RolledBack;

    /// <summary>Why a stage was held at one evaluation, as the values it is judged from; <see cref="Reasons"/> puts it in words.</summary>
    private sealed class HoldSnapshot(StageObservation observation, double stagePercent, bool reducedNow, List<ExitCriterion> unmet,
        TimeSpan held, TimeSpan minHold, int streak, int healthyNeeded, string? gateFailure)
    {
        private List<string>? _reasons;

        public IReadOnlyList<string> Reasons => _reasons ??= Render();

        private List<string> Render()
        {
            var reasons = new List<string>();
            if (reducedNow)
            {
                reasons.Add($"the router serves {Pct(observation.ServedPercent)} instead of {Pct(stagePercent)}");
            }
            else if (observation.Verdict != VerdictOutcome.Pass || observation.Action != VerdictAction.None)
            {
                reasons.Add($"the detector says {WireName.Of(observation.Verdict!.Value)}, action {WireName.Of(observation.Action)}"
                            + (observation.Breaches.Count > 0 ? ": " + string.Join("; ", observation.Breaches) : ""));
            }
            reasons.AddRange(unmet.Select(c => $"exit criterion {c} not met"));
            if (held < minHold)
            {
                reasons.Add($"minimum hold {PlanDuration.Format(minHold)} not reached (held {PlanDuration.Format(held)})");
            }
            if (streak < healthyNeeded)
            {
                reasons.Add($"{streak} of {healthyNeeded} healthy evaluations in a row");
            }
            if (gateFailure is not null)
            {
                reasons.Add(gateFailure);
            }
            return reasons;
        }
    }

    private void Enter(int index, DateTimeOffset at)
    {
        StageIndex = index;
        StageEnteredAt = at;
        EffectiveMinHold = _plan.Stages[index].MinHold;
        SlowedDown = false;
        HealthyStreak = 0;
        ExitCriteriaMet = false;
        HeldBecause = [];
        _gateFailure = null;
        _reduced = false;
        _passedGates.Clear();
        _criterionSince = new DateTimeOffset?[_plan.Stages[index].ExitCriteria.Count];
    }

    private static string Pct(double p) => p.ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
