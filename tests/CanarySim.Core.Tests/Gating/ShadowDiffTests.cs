using CanarySim.Core.Gating;
using static CanarySim.Core.Tests.Gating.UatJson;

namespace CanarySim.Core.Tests.Gating;

public sealed class ShadowDiffTests
{
    private static ShadowDiffReport Diff(IEnumerable<System.Text.Json.Nodes.JsonObject> baseline, IEnumerable<System.Text.Json.Nodes.JsonObject> candidate, GateOptions? options = null) =>
        new ShadowDiff(options).Compare(Input("v2.json", baseline), Input("v3.json", candidate));

    private static ShadowDiffEntry Entry(ShadowDiffReport r, string id, string role) => r.Entries.Single(e => e.CaseId == id && e.Role == role);

    [Test]
    public void Classifies_every_case_and_role()
    {
        var baseline = new[]
        {
            Case("FIN-01", passed: true), Case("FIN-02", passed: false), Case("SAL-01", passed: true), Case("STK-01", passed: false), Case("WR-02", passed: true),
        };
        var candidate = new[]
        {
            Case("FIN-01", passed: false), Case("FIN-02", passed: true), Case("SAL-01", passed: true), Case("STK-01", passed: false), Case("HR-01", passed: true),
        };
        var r = Diff(baseline, candidate);
        Assert.That(Entry(r, "FIN-01", UatWire.Reader).Outcome, Is.EqualTo(ShadowOutcome.Regressed));
        Assert.That(Entry(r, "FIN-02", UatWire.Reader).Outcome, Is.EqualTo(ShadowOutcome.Improved));
        Assert.That(Entry(r, "SAL-01", UatWire.Reader).Outcome, Is.EqualTo(ShadowOutcome.Unchanged));
        Assert.That(Entry(r, "STK-01", UatWire.Reader).Outcome, Is.EqualTo(ShadowOutcome.Unchanged));
        Assert.That(Entry(r, "WR-02", UatWire.Reader).Outcome, Is.EqualTo(ShadowOutcome.MissingInCandidate));
        Assert.That(Entry(r, "HR-01", UatWire.Reader).Outcome, Is.EqualTo(ShadowOutcome.MissingInBaseline));
        Assert.That(r.StartCanary, Is.True, "no case is critical");
    }

    [Test]
    public void Roles_are_compared_separately()
    {
        var r = Diff([Case("FIN-01", UatWire.Reader), Case("FIN-01", UatWire.Operator)],
                     [Case("FIN-01", UatWire.Reader), Case("FIN-01", UatWire.Operator, passed: false)]);
        Assert.That(Entry(r, "FIN-01", UatWire.Reader).Outcome, Is.EqualTo(ShadowOutcome.Unchanged));
        Assert.That(Entry(r, "FIN-01", UatWire.Operator).Outcome, Is.EqualTo(ShadowOutcome.Regressed));
    }

    [Test]
    public void Regressed_critical_case_means_do_not_start_canary()
    {
        var r = Diff([Case("FIN-02", critical: true), Case("SAL-03")], [Case("FIN-02", passed: false, critical: true), Case("SAL-03", passed: false)]);
        Assert.That(r.StartCanary, Is.False);
        Assert.That(r.Verdict, Is.EqualTo("DO NOT START CANARY"));
        Assert.That(r.Blocking.Single().CaseId, Is.EqualTo("FIN-02"));
    }

    [Test]
    public void Regressed_non_critical_case_does_not_block()
    {
        var r = Diff([Case("SAL-03")], [Case("SAL-03", passed: false)]);
        Assert.That(r.StartCanary, Is.True);
        Assert.That(r.With(ShadowOutcome.Regressed), Has.Count.EqualTo(1));
    }

    [Test]
    public void Critical_flag_on_either_side_counts()
    {
        var r = Diff([Case("FIN-01", critical: true)], [Case("FIN-01", passed: false, critical: false)]);
        Assert.That(r.StartCanary, Is.False);
    }

    [Test]
    public void Critical_case_missing_from_candidate_blocks_unless_configured_off()
    {
        var baseline = new[] { Case("FIN-01", critical: true), Case("SAL-01") };
        var candidate = new[] { Case("SAL-01") };
        Assert.That(Diff(baseline, candidate).StartCanary, Is.False);
        Assert.That(Diff(baseline, candidate, new GateOptions { MissingCriticalBlocksCanary = false }).StartCanary, Is.True);
    }

    [Test]
    public void Only_first_runs_are_compared()
    {
        var r = Diff([Case("FIN-01", critical: true)],
                     [Case("FIN-01", passed: false, critical: true), Case("FIN-01", minute: 10, passed: true, critical: true, runKind: "diagnostic")]);
        Assert.That(r.StartCanary, Is.False, "a passing rerun must not hide the critical regression");
    }

    [Test]
    public void Bad_candidate_is_an_artifact_error()
    {
        Assert.Throws<UatArtifactException>(() => new ShadowDiff().Compare(Input("v2.json", [Case("FIN-01")]), Input("v3.json", "")));
    }
}
