using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Reporting;
using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;
using static CanarySim.Harness.Simulation.SimText;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// What the report tells about the rollout over time: the stages with when each was entered and left, the
/// markers on the charts (promotions, breaches, injections, rollbacks), the verdict trail (changes only),
/// the gates run, and the first rollback. Notes of the same events go to the evidence window they fall in.
/// </summary>
internal sealed class TimelineRecorder(RolloutPlan plan, EvidenceRecorder evidence)
{
    private bool _lastWasBreach;

    public List<ReportMarker> Markers { get; } = [];

    public List<VerdictTrailEntry> Trail { get; } = [];

    public List<StageSpan> Stages { get; } = [];

    public List<(DateTimeOffset, string, string, bool, string)> Gates { get; } = [];

    /// <summary>Index of the stage entered last, and when.</summary>
    public int StageIndex { get; private set; }

    public DateTimeOffset StageEnteredAt { get; private set; } = plan.Start;

    public DateTimeOffset? RolledBackAt { get; private set; }

    public string RollbackReason { get; private set; } = "";

    public void Injections(IEnumerable<FaultInjection> injections)
    {
        foreach (var inj in injections)
        {
            Markers.Add(new ReportMarker(plan.Start + inj.At, "injection", inj.Describe()));
        }
    }

    /// <summary>An evaluation: extends the verdict trail and marks the start of a breach.</summary>
    public void Evaluated(DateTimeOffset now, GuardOutcome outcome, string stage, double canaryPct)
    {
        var verdict = outcome.Verdict;
        var verdictText = verdict is null ? "error" : WireName.Of(verdict.Outcome);
        var actionText = WireName.Of(outcome.Action);
        if (Trail.Count > 0 && Trail[^1].Verdict == verdictText && Trail[^1].Action == actionText && Trail[^1].Stage == stage)
        {
            Trail[^1] = Trail[^1] with { Repeats = Trail[^1].Repeats + 1 };
        }
        else
        {
            Trail.Add(new VerdictTrailEntry(now, stage, canaryPct, verdictText, actionText,
                verdict is null ? [outcome.Measurement.Error ?? "metric source error"] : verdict.Breaches.Concat(verdict.Pending).Select(b => b.Reason).ToList(), 0));
        }
        var isBreach = verdict is { Outcome: VerdictOutcome.Fail };
        if (isBreach && !_lastWasBreach)
        {
            Markers.Add(new ReportMarker(now, "breach", string.Join(", ", verdict!.Breaches.Select(b => b.Check))));
        }
        _lastWasBreach = isBreach;
    }

    /// <summary>A step the rollout driver acted on.</summary>
    public void Record(StageStep step)
    {
        var stage = plan.Stages[step.StageIndex];
        switch (step.Kind)
        {
            case StageStepKind.Advance:
                var from = plan.Stages[StageIndex];
                Stages.Add(new StageSpan(from.Name, WireName.Of(from.Kind), from.Percent, StageEnteredAt, step.At, $"promoted to {stage.Name}"));
                StageIndex = step.StageIndex;
                StageEnteredAt = step.At;
                Markers.Add(new ReportMarker(step.At, "promotion", $"→ {Pct(stage.Percent)}"));
                evidence.Note($"{When(step.At)} promoted {from.Name} → {stage.Name} ({Pct(stage.Percent)})");
                evidence.MarkAdvanced();
                break;
            case StageStepKind.Completed:
                evidence.Note($"{When(step.At)} rollout complete: {step.Reason}");
                Markers.Add(new ReportMarker(step.At, "promotion", "complete"));
                break;
            case StageStepKind.GatePassed:
            case StageStepKind.GateFailed:
                var passed = step.Kind == StageStepKind.GatePassed;
                Gates.Add((step.At, stage.Name, step.Gate!.Gate.Describe(), passed, step.Reason));
                evidence.Note($"{When(step.At)} gate {WireName.Of(step.Gate.Gate.Kind)} {(passed ? "passed" : "FAILED")}: {step.Reason}");
                break;
            case StageStepKind.RolledBack:
                evidence.Note($"{When(step.At)} rollout stopped: {step.Reason}");
                break;
            case StageStepKind.SlowDown:
                Markers.Add(new ReportMarker(step.At, "slowdown", "slow down"));
                evidence.Note($"{When(step.At)} slowed down: {step.Reason}");
                break;
            case StageStepKind.TrafficReduced:
                evidence.Note($"{When(step.At)} holding: {step.Reason}");
                break;
        }
    }

    /// <summary>A settings change made by the controller, the driver, the rehearsal or the simulated operator.</summary>
    public void Changed(SettingsChange change)
    {
        switch (change.Kind)
        {
            case SettingsChangeKind.Rollback when change.Actor != "rollback-rehearsal":
                RolledBackAt ??= change.At;
                RollbackReason = change.Reason;
                evidence.MarkRolledBack();
                Markers.Add(new ReportMarker(change.At, "rollback", $"rollback ({change.Actor})"));
                evidence.Note($"{When(change.At)} ROLLBACK by {change.Actor}: kill switch on, {Pct(change.Before.CanaryPct)} → 0 % — {change.Reason}");
                break;
            case SettingsChangeKind.StagedRollback:
                Markers.Add(new ReportMarker(change.At, "reduce", $"staged {Pct(change.Before.CanaryPct)}→{Pct(change.After.CanaryPct)}"));
                evidence.Note($"{When(change.At)} staged rollback {Pct(change.Before.CanaryPct)} → {Pct(change.After.CanaryPct)} — {change.Reason}");
                break;
            case SettingsChangeKind.ReduceTraffic:
                Markers.Add(new ReportMarker(change.At, "reduce", $"halved → {Pct(change.After.CanaryPct)}"));
                evidence.Note($"{When(change.At)} traffic reduced {Pct(change.Before.CanaryPct)} → {Pct(change.After.CanaryPct)} — {change.Reason}");
                break;
            case SettingsChangeKind.Pause:
                Markers.Add(new ReportMarker(change.At, "reduce", "paused"));
                evidence.Note($"{When(change.At)} paused at {Pct(change.After.CanaryPct)} — {change.Reason}");
                break;
            case SettingsChangeKind.ManualReview:
                evidence.Note($"{When(change.At)} manual review requested — {change.Reason}");
                break;
        }
    }
}
