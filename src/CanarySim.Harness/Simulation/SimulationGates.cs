using System.Globalization;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Audit;
using CanarySim.Core.Gating;
using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// Runs a simulated plan's stage gates: a manual approval is approved (and recorded), a release gate is
/// judged by the real <see cref="ReleaseGate"/> on the plan's artifacts, and a rollback rehearsal is Core's
/// <see cref="RollbackRehearsal"/> through the real <see cref="CanaryExecutor"/>, whose v1 answers are runs
/// drawn like any other (they reach the metrics store).
/// </summary>
internal sealed class SimulationGates : IStageGateRunner
{
    private readonly RolloutPlan _plan;
    private readonly SimulationOptions _options;
    private readonly TimeProvider _clock;
    private readonly RollbackController _controller;
    private readonly IAuditSink _audit;
    private readonly CanaryRouter _router;
    private readonly DrawnEngine _v1;
    private readonly DrawnEngine _v2;

    /// <param name="draw">Draws one run of an engine for a smoke scenario (the agent) and returns whether it failed.</param>
    public SimulationGates(RolloutPlan plan, SimulationOptions options, TimeProvider clock, RollbackController controller, IAuditSink audit,
        CanaryRouter router, Func<Engine, string, bool> draw)
    {
        _plan = plan;
        _options = options;
        _clock = clock;
        _controller = controller;
        _audit = audit;
        _router = router;
        _v1 = new DrawnEngine(Engine.V1, draw);
        _v2 = new DrawnEngine(Engine.V2, draw);
    }

    /// <summary>Reports of the release gates judged, in order.</summary>
    public List<GateReport> Reports { get; } = [];

    /// <inheritdoc />
    public GateOutcome Run(PlanGate gate, PlanStage stage, DateTimeOffset at) => gate.Kind switch
    {
        GateKind.ManualApproval => new GateOutcome(gate, true, $"manual approval by {gate.Approver}: auto-approved in simulation (recorded)"),
        GateKind.ReleaseGate => RunReleaseGate(gate, stage),
        GateKind.RollbackRehearsal => Rehearse(gate, stage),
        _ => new GateOutcome(gate, true, "detector verdict pass"),
    };

    private GateOutcome RunReleaseGate(PlanGate gate, PlanStage stage)
    {
        var outcome = PlanArtifactGate.Judge(_plan, gate, stage, _options.ArtifactBase, _clock, out var report);
        if (report is not null)
        {
            Reports.Add(report);
        }
        return outcome;
    }

    private GateOutcome Rehearse(PlanGate gate, PlanStage stage)
    {
        var rehearsal = new RollbackRehearsal(_controller, new CanaryExecutor(_router, _v1, _v2), _audit, _clock,
            new RollbackRehearsalOptions { SmokeScenarios = gate.Smoke });
        var evidence = $"{_plan.Name}.evidence.md#rehearsal-{stage.Name}";
        var result = rehearsal.RunAsync(evidence).GetAwaiter().GetResult();
        var smoke = string.Join("; ", result.Smoke.Select(s => $"{s.Scenario} {(s.Passed ? "pass" : "FAIL")} (served by {(s.ServedBy is { } servedBy ? WireName.Of(servedBy) : "none")}, reason {WireName.Of(s.Reason)})"));
        var detail = $"rollback rehearsal {(result.Passed ? "passed" : "FAILED")}: {smoke}; evidence {evidence}"
                     + (result.Passed ? $"; restored {result.After.CanaryPct.ToString("0.##", CultureInfo.InvariantCulture)} %" : "; engine left on v1");
        return new GateOutcome(gate, result.Passed, detail, evidence);
    }

    /// <summary>An engine whose answers are drawn runs: a failed draw throws, as a failing engine would.</summary>
    private sealed class DrawnEngine(Engine version, Func<Engine, string, bool> draw) : IEngine
    {
        public Engine Version => version;

        public Task<EngineResponse> HandleAsync(EngineRequest request, CancellationToken cancellationToken)
        {
            using var payload = JsonDocument.Parse(request.Payload);
            var scenario = payload.RootElement.TryGetProperty("scenario", out var s) ? s.GetString() ?? "" : "";
            if (draw(version, scenario))
            {
                throw new InvalidOperationException($"{WireName.Of(version)} failed on smoke scenario {scenario} (drawn run)");
            }
            return Task.FromResult(new EngineResponse { Engine = version, Agent = scenario });
        }
    }
}
