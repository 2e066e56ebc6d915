using CanarySim.Core.Gating;
using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// A plan's release gate judged over the artifact files it names (paths relative to <c>artifactBase</c>, the plan's
/// folder) by the real <see cref="ReleaseGate"/>: how the simulator and the rehearsal judge it (live, the service judges
/// the artifacts posted for the stage instead).
/// </summary>
public static class PlanArtifactGate
{
    /// <summary>Judges <paramref name="gate"/> for leaving <paramref name="stage"/>; <paramref name="report"/> is null when the artifacts could not be judged (the gate then fails).</summary>
    public static GateOutcome Judge(RolloutPlan plan, PlanGate gate, PlanStage stage, string artifactBase, TimeProvider clock, out GateReport? report)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(stage);
        var gateStage = gate.GatedStage(stage.Percent);
        var label = $"{plan.Name}_{stage.Name}".Replace(' ', '_');
        if (!ReleaseGate.IsSafeLabel(label))
        {
            label = "simulation";
        }
        var request = new GateRequest(gateStage, gate.LatencyP95SlaMs, gate.BaselineCorrectionRate, label);
        try
        {
            var inputs = gate.Artifacts.Select(a =>
            {
                var path = Path.IsPathRooted(a) ? a : Path.Combine(artifactBase, a);
                return new UatArtifactInput(a, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read));
            }).ToList();
            report = new ReleaseGate(null, clock).Evaluate(request, inputs);
            var detail = report.OverallGo
                ? $"release gate stage {gateStage}: GO → {report.NextStage} ({report.Counts.FirstRun} first-run cases)"
                : $"release gate stage {gateStage}: NO-GO ({string.Join(", ", report.Defects.Select(d => d.Check))}) → {report.RollbackAction}";
            return new GateOutcome(gate, report.OverallGo, detail, report.FileStem + ".md");
        }
        catch (Exception ex) when (ex is UatArtifactException or ArgumentException or IOException)
        {
            report = null;
            return new GateOutcome(gate, false, $"release gate stage {gateStage}: cannot judge the artifacts: {ex.Message}");
        }
    }
}
