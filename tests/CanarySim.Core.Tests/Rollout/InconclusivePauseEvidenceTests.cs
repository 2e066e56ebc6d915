using CanarySim.Core.Rollout;
using CanarySim.Harness.Scenarios;
using CanarySim.Harness.Simulation;

namespace CanarySim.Core.Tests.Rollout;

/// <summary>
/// #15, QA: a truly inconclusive analysis pauses the rollout visibly in the evidence log too. v2 is slower than v1
/// and otherwise the same; with fixtures/policies/judge-latency-marginal.json the judge scores 90 (marginal), so
/// the simulated rollout pauses and the evidence log's window says "paused: inconclusive (judge, 90)".
/// </summary>
public sealed class InconclusivePauseEvidenceTests
{
    private const string Plan = """
        schema: canarysim.plan/v1
        name: judge-marginal
        start: 2026-03-02T09:00:00Z
        duration: 1m
        evaluation: { interval: 1s }
        evidence: { window: 30s }
        traffic:
          requests: 12000
          profile: steady
          v1: { latency_p50_ms: 600, quality: 94.0, cost_cents: 1.8 }
          v2: { latency_p50_ms: 900, quality: 94.0, cost_cents: 1.8 }
        progression: { healthy_evaluations: 2 }
        stages:
          - { name: canary-5, kind: canary, percent: 5, min_hold: 3s, gates: [detector] }
          - { name: canary-25, kind: canary, percent: 25, min_hold: 3s, gates: [detector] }
        """;

    [Test]
    public void The_evidence_log_says_paused_inconclusive_with_the_check_and_its_value()
    {
        var policyFile = RepoPaths.Fixture("policies", "judge-latency-marginal.json");
        var policy = PolicyLoader.Parse(File.ReadAllText(policyFile), policyFile);

        var result = new RolloutSimulator(PlanLoader.Parse(Plan, "judge-marginal.yaml").Plan, new SimulationOptions { Policy = policy }).Run();

        var pause = result.SettingsHistory.First(c => c.Kind == SettingsChangeKind.Pause);
        Assert.Multiple(() =>
        {
            Assert.That(pause.Reason, Does.StartWith("paused: inconclusive (judge, 90): "));
            Assert.That(result.Report.Stages[0].Name, Is.EqualTo("canary-5"));
            Assert.That(result.Evidence.Rows.Select(r => r.Notes), Has.Some.Contains("paused at 5 % — paused: inconclusive (judge, 90): "));
        });
    }
}
