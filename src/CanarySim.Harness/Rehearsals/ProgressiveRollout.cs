using System.Text.Json;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Rehearsals;

/// <summary>
/// Drives a rollout plan's tiers over a rehearsal's played traffic: after every step of
/// <see cref="Rehearsal.Timeline"/> the real guard evaluates and acts, its verdict becomes a
/// <see cref="StageObservation"/> for the real <see cref="RolloutStageMachine"/>, and the machine's
/// advances are applied through the real rollback controller (history + audit). A rollback the
/// machine asks for goes through <see cref="CanaryGuard.ManualRollback"/>.
/// </summary>
public sealed class ProgressiveRollout
{
    /// <summary>The actor recorded for changes the rollout makes.</summary>
    public const string Actor = "rollout";

    private readonly Rehearsal _rehearsal;
    private readonly CanaryGuard _guard;

    /// <summary>Prepares the rollout and moves the router to the first stage's percentage (canary mode).</summary>
    public ProgressiveRollout(Rehearsal rehearsal, CanaryGuard guard, RolloutPlan plan, IStageGateRunner gates)
    {
        _rehearsal = rehearsal ?? throw new ArgumentNullException(nameof(rehearsal));
        _guard = guard ?? throw new ArgumentNullException(nameof(guard));
        ArgumentNullException.ThrowIfNull(plan);
        var errors = PlanValidator.Validate(plan);
        if (errors.Count > 0)
        {
            throw new PlanValidationException(errors);
        }
        Plan = plan;
        Machine = new RolloutStageMachine(plan, gates, rehearsal.Time.GetUtcNow());
        var first = plan.Stages[0];
        guard.Controller.UpdateConfig(Actor, $"rollout starts at {first.Name}", s => s with { Mode = Core.Routing.RouterMode.Canary, CanaryPct = first.Percent });
        Entered.Add((first.Name, first.Percent, rehearsal.Time.GetUtcNow()));
    }

    /// <summary>The plan.</summary>
    public RolloutPlan Plan { get; }

    /// <summary>The real stage machine.</summary>
    public RolloutStageMachine Machine { get; }

    /// <summary>Everything the machine decided, in order.</summary>
    public List<StageStep> Steps { get; } = [];

    /// <summary>Each stage entered: name, percentage and when.</summary>
    public List<(string Stage, double Percent, DateTimeOffset At)> Entered { get; } = [];

    /// <summary>Plays <paramref name="duration"/> of traffic, evaluating and observing after every step.</summary>
    public void Run(TimeSpan duration) => _rehearsal.Timeline.Run(duration, Observe);

    private int Observe()
    {
        var outcome = _guard.EvaluateAndAct();
        var live = _rehearsal.Settings.Current;
        var steps = Machine.Observe(ToObservation(outcome, live));
        foreach (var step in steps)
        {
            switch (step.Kind)
            {
                case StageStepKind.Advance:
                    _guard.Controller.UpdateConfig(Actor, step.Reason, s => s with { CanaryPct = step.ToPercent });
                    Entered.Add((Plan.Stages[step.StageIndex].Name, step.ToPercent, step.At));
                    break;
                case StageStepKind.Rollback:
                    _guard.ManualRollback(Actor, step.Reason);
                    Machine.Abort();
                    break;
            }
        }
        Steps.AddRange(steps);
        return steps.Count;
    }

    private StageObservation ToObservation(GuardOutcome outcome, Core.Routing.RouterSettings live)
    {
        var v = outcome.Verdict;
        var v1 = v?.V1;
        var v2 = v?.V2;
        return new StageObservation
        {
            At = _rehearsal.Time.GetUtcNow(),
            Verdict = v is null ? "error" : Wire(v.Outcome),
            Action = Wire(outcome.Action),
            Breaches = outcome.Breaches.Select(b => b.Reason).ToList(),
            MetricsAvailable = v is not null,
            KillSwitch = live.KillSwitch,
            ServedPercent = live.CanaryPct,
            Metrics = new RolloutMetrics
            {
                ErrorRate = v2?.ErrorRate,
                P50LatencyMs = v2?.P50LatencyMs,
                P95LatencyMs = v2?.P95LatencyMs,
                P99LatencyMs = v2?.P99LatencyMs,
                Quality = v2?.MeanQuality,
                QualityDrop = v1?.MeanQuality - v2?.MeanQuality,
                CostCents = v2?.MeanCostCents,
                FallbackRate = v2?.FallbackRate,
                PolicyViolations = v2?.PolicyViolations,
                Complaints = v2?.Complaints,
                Rollbacks = _rehearsal.SettingsStore.History().Count(c => c.Kind == "rollback"),
                Samples = v2?.Count ?? 0,
            },
        };
    }

    private static string Wire<T>(T value) => JsonSerializer.Serialize(value).Trim('"');
}
