using System.Globalization;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Audit;
using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;

namespace CanarySim.Service.Rollout;

/// <summary>
/// The gates of a live rollout that need more than the detector, judged when the stage could otherwise be left:
/// <list type="bullet">
/// <item>a manual approval passes once the approver the gate names has approved that stage (<c>POST /guard/rollout/approve</c>), and waits otherwise;</item>
/// <item>a release gate waits for the artifacts posted for its stage (<c>POST /guard/rollout/artifacts</c>), then Core's
/// <see cref="Core.Gating.ReleaseGate"/> judges them once: GO passes, NO-GO rolls back (the plan's rule); the report is stored;</item>
/// <item>a rollback rehearsal is Core's <see cref="RollbackRehearsal"/> on the live router: the kill switch is stored (every
/// instance serves v1), each smoke scenario is routed by the live router and must be sent to v1 because of the kill switch,
/// then the previous stage is restored; a failure leaves v1 in force and rolls back.</item>
/// </list>
/// A judged release gate or rehearsal is stored with the rollout (<see cref="RolloutGateResult"/>) before the stage is left,
/// so a restart neither judges nor rehearses it again.
/// </summary>
internal sealed class LiveGateRunner(
    string plan,
    Func<RolloutRecord> record,
    Action<RolloutGateResult> store,
    RolloutArtifacts artifacts,
    RollbackController controller,
    CanaryRouter router,
    IAuditSink audit,
    TimeProvider time) : IStageGateRunner
{
    /// <summary>The smoke requests of a live rehearsal are routed, not executed: the guard does not call the application's engines.</summary>
    internal const string SmokeNote = "routed by the live router (the guard does not call the engines)";

    public GateOutcome Run(PlanGate gate, PlanStage stage, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(stage);
        if (gate.Kind == GateKind.ManualApproval)
        {
            var approval = record().Approvals.LastOrDefault(a => a.Stage == stage.Name && a.Approver == gate.Approver);
            return approval is null
                ? new GateOutcome(gate, false, $"waiting for approval by {gate.Approver}") { Pending = true }
                : new GateOutcome(gate, true, $"approved by {approval.Approver}: {approval.Reason}");
        }
        var index = IndexOf(stage, gate);
        if (record().Gates.FirstOrDefault(g => g.Stage == stage.Name && g.Gate == index) is { } judged)
        {
            return new GateOutcome(gate, judged.Passed, judged.Detail, judged.Report);
        }
        return gate.Kind switch
        {
            GateKind.ReleaseGate => ReleaseGate(gate, stage, index),
            GateKind.RollbackRehearsal => Rehearse(gate, stage, index),
            _ => new GateOutcome(gate, true, "detector verdict pass"),
        };
    }

    /// <summary>What a waiting release gate says (also shown in <c>waiting_for</c>).</summary>
    internal static string WaitingForArtifacts(string stage) => $"waiting for release gate artifacts (POST /guard/rollout/artifacts for stage {stage})";

    private GateOutcome ReleaseGate(PlanGate gate, PlanStage stage, int index)
    {
        if (artifacts.Latest(plan, stage.Name) is not { } set)
        {
            return new GateOutcome(gate, false, WaitingForArtifacts(stage.Name)) { Pending = true };
        }
        var report = artifacts.Judge(plan, stage, gate, set);
        var detail = report.OverallGo
            ? $"release gate stage {report.Stage}: GO → {report.NextStage} ({report.Counts.FirstRun} first-run cases in {set.Artifacts.Count} artifact(s) posted by {set.Actor})"
            : $"release gate stage {report.Stage}: NO-GO ({string.Join(", ", report.Defects.Select(d => d.Check))}) → {report.RollbackAction}";
        store(new RolloutGateResult(stage.Name, index, WireName.Of(gate.Kind), report.OverallGo, detail, report.FileStem, time.GetUtcNow()));
        return new GateOutcome(gate, report.OverallGo, detail, report.FileStem);
    }

    private GateOutcome Rehearse(PlanGate gate, PlanStage stage, int index)
    {
        var evidence = $"audit log: rehearsal event of plan {plan}, stage {stage.Name}";
        var rehearsal = new RollbackRehearsal(controller, new CanaryExecutor(router, new RoutedOnly(Engine.V1), new RoutedOnly(Engine.V2)), audit, time,
            new RollbackRehearsalOptions { SmokeScenarios = gate.Smoke });
        // The smoke engines answer at once, so the rehearsal completes synchronously.
        var result = rehearsal.RunAsync(evidence).GetAwaiter().GetResult();
        var smoke = string.Join("; ", result.Smoke.Select(s => $"{s.Scenario} {(s.Passed ? "pass" : "FAIL")} (routed to {(s.ServedBy is { } servedBy ? WireName.Of(servedBy) : "none")}, reason {WireName.Of(s.Reason)})"));
        var detail = $"rollback rehearsal {(result.Passed ? "passed" : "FAILED")}: {smoke}; {SmokeNote}"
                     + (result.Passed ? $"; restored {result.After.CanaryPct.ToString("0.##", CultureInfo.InvariantCulture)} %" : "; engine left on v1");
        store(new RolloutGateResult(stage.Name, index, WireName.Of(gate.Kind), result.Passed, detail, evidence, time.GetUtcNow()));
        return new GateOutcome(gate, result.Passed, detail, evidence);
    }

    private static int IndexOf(PlanStage stage, PlanGate gate)
    {
        for (var i = 0; i < stage.Gates.Count; i++)
        {
            if (ReferenceEquals(stage.Gates[i], gate))
            {
                return i;
            }
        }
        return stage.Gates.ToList().IndexOf(gate);
    }

    /// <summary>A smoke "engine" of the live rehearsal: the request was routed to it, which is what the rehearsal checks; it answers at once.</summary>
    private sealed class RoutedOnly(Engine version) : IEngine
    {
        public Engine Version => version;

        public Task<EngineResponse> HandleAsync(EngineRequest request, CancellationToken cancellationToken)
        {
            using var payload = JsonDocument.Parse(request.Payload);
            var scenario = payload.RootElement.TryGetProperty("scenario", out var s) ? s.GetString() ?? "" : "";
            return Task.FromResult(new EngineResponse { Engine = version, Agent = scenario });
        }
    }
}
