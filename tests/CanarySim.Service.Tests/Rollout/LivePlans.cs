using CanarySim.Core.Rollout;

namespace CanarySim.Service.Tests.Rollout;

/// <summary>Short plans for the live runner, built in code (the CLI loads the same from YAML).</summary>
internal static class LivePlans
{
    /// <summary>5 % (left after release-manager approves) → 25 % → 50 %, each held 30 s, 2 healthy evaluations, evaluated every 10 s.</summary>
    public static RolloutPlan Short(TimeSpan? hold = null) => new()
    {
        Name = "live-short",
        Duration = TimeSpan.FromMinutes(5),
        EvaluationInterval = TimeSpan.FromSeconds(10),
        Progression = new ProgressionOptions { HealthyEvaluations = 2 },
        Stages =
        [
            new PlanStage
            {
                Name = "canary-5", Kind = StageKind.Canary, Percent = 5, MinHold = hold ?? TimeSpan.FromSeconds(30),
                Gates = [new PlanGate { Kind = GateKind.Detector }, new PlanGate { Kind = GateKind.ManualApproval, Approver = "release-manager" }],
            },
            new PlanStage { Name = "canary-25", Kind = StageKind.Canary, Percent = 25, MinHold = hold ?? TimeSpan.FromSeconds(30), Gates = [new PlanGate { Kind = GateKind.Detector }] },
            new PlanStage { Name = "progressive-50", Kind = StageKind.Progressive, Percent = 50, MinHold = hold ?? TimeSpan.FromSeconds(30), Gates = [new PlanGate { Kind = GateKind.Detector }] },
        ],
    };

    /// <summary>
    /// 5 % → 25 % (left when the release gate over posted stage-25 artifacts says GO; its paths are the simulation's) → 50 % (left after a rollback
    /// rehearsal of FIN-01 and SAL-01) → 100 %: each held 30 s, 2 healthy evaluations, evaluated every 10 s.
    /// </summary>
    public static RolloutPlan ToFull() => new()
    {
        Name = "live-full",
        Duration = TimeSpan.FromMinutes(10),
        EvaluationInterval = TimeSpan.FromSeconds(10),
        Progression = new ProgressionOptions { HealthyEvaluations = 2 },
        Stages =
        [
            new PlanStage { Name = "canary-5", Kind = StageKind.Canary, Percent = 5, MinHold = TimeSpan.FromSeconds(30), Gates = [new PlanGate { Kind = GateKind.Detector }] },
            new PlanStage
            {
                Name = "canary-25", Kind = StageKind.Canary, Percent = 25, MinHold = TimeSpan.FromSeconds(30),
                Gates = [new PlanGate { Kind = GateKind.Detector }, new PlanGate { Kind = GateKind.ReleaseGate, GateStage = 25, LatencyP95SlaMs = 5000, Artifacts = ["../uat/stages/stage25_raw1.json", "../uat/stages/stage25_raw2.json"] }],
            },
            new PlanStage
            {
                Name = "progressive-50", Kind = StageKind.Progressive, Percent = 50, MinHold = TimeSpan.FromSeconds(30),
                Gates = [new PlanGate { Kind = GateKind.Detector }, new PlanGate { Kind = GateKind.RollbackRehearsal, Smoke = ["FIN-01", "SAL-01"] }],
            },
            new PlanStage { Name = "progressive-100", Kind = StageKind.Progressive, Percent = 100, MinHold = TimeSpan.FromSeconds(30), Gates = [new PlanGate { Kind = GateKind.Detector }] },
        ],
    };
}
