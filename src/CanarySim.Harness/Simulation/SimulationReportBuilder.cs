using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Gating;
using CanarySim.Core.Reporting;
using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;
using static CanarySim.Harness.Simulation.SimText;

namespace CanarySim.Harness.Simulation;

/// <summary>Everything a finished run hands back: the outcome in words, the report model, the evidence, the audit and the settings history.</summary>
internal static class SimulationReportBuilder
{
    /// <summary>What the run counted, besides the recorders.</summary>
    public readonly record struct Totals(long Served, long V2Served, long Fallbacks, long Evaluations);

    public static SimulationResult Build(RolloutPlan plan, SimulationOptions options, DetectorOptions detector, DateTimeOffset end, Totals totals,
        RolloutStatus status, RouterSettings s, TimelineRecorder timeline, ChartRecorder chart, EvidenceLog evidence, FaultSchedule faults,
        IReadOnlyList<GateReport> gateReports, SimulationAuditLog audit, InMemorySettingsStore settings)
    {
        var last = plan.Stages[timeline.StageIndex];
        var outcome = status switch
        {
            RolloutStatus.Completed => SimulationOutcome.Completed,
            RolloutStatus.RolledBack => SimulationOutcome.RolledBack,
            _ => s.KillSwitch ? SimulationOutcome.RolledBack : SimulationOutcome.InProgress,
        };
        var stages = timeline.Stages;
        stages.Add(new StageSpan(last.Name, WireName.Of(last.Kind), last.Percent, timeline.StageEnteredAt, null,
            outcome switch { SimulationOutcome.Completed => "completed", SimulationOutcome.RolledBack => "rolled back", _ => "still holding at the end" }));
        var injections = faults.Outcomes();
        var verdict = outcome switch
        {
            SimulationOutcome.Completed => $"completed: {Pct(last.Percent)} on v2 since {When(timeline.StageEnteredAt)}",
            SimulationOutcome.RolledBack => $"rolled back at {Pct(last.Percent)} on {When(timeline.RolledBackAt ?? end)}" + (timeline.RollbackReason.Length > 0 ? $": {Shorten(timeline.RollbackReason)}" : ""),
            _ => $"in progress: holding {last.Name} ({Pct(s.CanaryPct)}) at the end of the plan",
        };
        var ttr = injections.Where(i => i.TimeToRollback is not null).Select(i => i.TimeToRollback!.Value).ToList();
        if (ttr.Count > 0)
        {
            verdict += $"; injected regression → rollback in {PlanDuration.Format(ttr.Min())}";
        }
        var report = new SimulationReport
        {
            Title = $"Simulation: {(plan.Title.Length > 0 ? plan.Title : plan.Name)}",
            Plan = plan.Name,
            Description = plan.Description,
            Seed = options.Seed,
            Engines = WireName.Of(options.Engines),
            Start = plan.Start,
            End = end,
            Requests = totals.Served,
            V2Served = totals.V2Served,
            Fallbacks = totals.Fallbacks,
            Evaluations = totals.Evaluations,
            Outcome = outcome,
            Verdict = verdict,
            FinalStage = last.Name,
            FinalPercent = s.KillSwitch ? 0 : s.CanaryPct,
            Stages = stages,
            Series = chart.Series,
            Thresholds = new ReportThresholds
            {
                LatencyP95Ms = detector.LatencyP95MaxMs,
                LatencySustainedMs = detector.LatencySustainedP95MaxMs,
                QualityDrop = detector.QualityDropMax,
                CostCents = detector.CostMaxCents,
                ErrorRate = detector.ErrorRateMax,
                FallbackRate = detector.FallbackRateMax,
            },
            Markers = timeline.Markers.OrderBy(m => m.At).ToList(),
            VerdictTrail = timeline.Trail,
            Injections = injections,
            Gates = timeline.Gates,
            EvidenceHref = plan.Name + ".evidence.md",
        };
        return new SimulationResult
        {
            Plan = plan,
            Seed = options.Seed,
            Outcome = outcome,
            Verdict = verdict,
            Evidence = evidence,
            Report = report,
            Audit = audit.Events,
            SettingsHistory = settings.History(),
            GateReports = gateReports,
            Requests = totals.Served,
            V2Served = totals.V2Served,
            Evaluations = totals.Evaluations,
        };
    }
}
