using System.Text.Json;
using CanarySim.Core.Rollout;
using CanarySim.Reports;

namespace CanarySim.Core.Tests.Rollout;

public sealed class RollbackRehearsalTests
{
    [Test]
    public async Task A_passing_rehearsal_runs_every_smoke_scenario_on_v1_and_restores_the_stage()
    {
        var rig = new RolloutTestRig();
        var before = rig.Live.Current;
        var result = await new RollbackRehearsal(rig.Controller, rig.Executor, rig.Audit, rig.Time).RunAsync("reports/rehearsal.md");
        Assert.Multiple(() =>
        {
            Assert.That(result.Passed, Is.True);
            Assert.That(result.Smoke.Select(s => s.Scenario), Is.EqualTo(new[] { "FIN-01", "SAL-01", "STK-01", "WR-02" }));
            Assert.That(result.Smoke.Select(s => (s.ServedBy, s.Reason)), Is.All.EqualTo(((Engine?)Engine.V1, RouteReason.KillSwitch)));
            Assert.That((rig.V1.Calls, rig.V2.Calls), Is.EqualTo((4, 0)));
            Assert.That(rig.Live.Current, Is.EqualTo(before));
            Assert.That(result.Restored, Is.True);
            Assert.That(rig.Controller.History().Select(h => h.After.KillSwitch), Is.EqualTo(new[] { true, false }), "engine set to v1, then the stage restored");
            Assert.That(result.ToMarkdown(), Does.Contain("| WR-02 | pass | v1 | kill_switch |"));
        });
        using var audit = JsonDocument.Parse(rig.Audit.Read("rehearsal").Single().Data);
        Assert.That(audit.RootElement.GetProperty("evidence_path").GetString(), Is.EqualTo("reports/rehearsal.md"));
    }

    [Test]
    public async Task A_failing_smoke_scenario_leaves_the_router_on_v1()
    {
        var rig = new RolloutTestRig(v1: r => r.Payload.Contains("STK-01", StringComparison.Ordinal)
            ? throw new HttpRequestException("v1 answered 500")
            : new EngineResponse { Engine = Engine.V1 });
        var result = await new RollbackRehearsal(rig.Controller, rig.Executor, rig.Audit, rig.Time).RunAsync("e.md");
        Assert.Multiple(() =>
        {
            Assert.That(result.Passed, Is.False);
            Assert.That(result.Smoke.Where(s => !s.Passed).Select(s => s.Scenario), Is.EqualTo(new[] { "STK-01" }));
            Assert.That(result.Smoke.Single(s => s.Scenario == "STK-01").Detail, Does.Contain("v1 answered 500"));
            Assert.That(result.Restored, Is.False);
            Assert.That(rig.Live.Current.KillSwitch, Is.True);
            Assert.That(rig.Controller.History(), Has.Count.EqualTo(1));
        });
    }
}
