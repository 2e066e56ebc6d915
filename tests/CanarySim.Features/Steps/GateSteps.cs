using CanarySim.Core;
using CanarySim.Core.Gating;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;
using CanarySim.Reports;

namespace CanarySim.Features.Steps;

/// <summary>Stage gate steps: replay recorded UAT artifacts (<c>fixtures/uat/</c>) through the real <see cref="ReleaseGate"/> and <see cref="ShadowDiff"/>, and act on the verdict with <see cref="StagePromotion"/>.</summary>
[Binding]
public sealed class GateSteps(ControlPlane plane, StageRecord record, ScenarioWorld rehearsal, ScenarioEvidence scenario)
{
    private double _slaMs = new GateOptions().LatencyP95SlaMs;
    private double? _baseline;

    /// <summary>Sets the agreed latency p95 SLA for the next gate (default 5000 ms).</summary>
    [Given(@"^the agreed latency p95 SLA is (.+)$")]
    public void Sla(TimeSpan sla) => _slaMs = sla.TotalMilliseconds;

    /// <summary>Sets the baseline correction rate for the correction_trend check (without it the check is skipped).</summary>
    [Given(@"^the baseline correction rate is (\d+(?:\.\d+)?)%$")]
    public void Baseline(double pct) => _baseline = pct / 100;

    /// <summary>Clears the baseline correction rate: the correction_trend check is skipped.</summary>
    [Given(@"^no baseline correction rate is known$")]
    public void NoBaseline() => _baseline = null;

    /// <summary>Replays raw UAT artifacts (paths under <c>fixtures/uat/</c>, quoted, comma-separated) through the release gate for a stage (10, 25, 50, 100) and writes its JSON and Markdown reports under <c>reports/features/gate/</c>; the steps after it judge the JSON report as read back from the file.</summary>
    [When(@"^the stage (\d+) gate replays (""[^""]+""(?:, ""[^""]+"")*)$")]
    public void Replay(int stage, string files)
    {
        record.HistoryMark ??= plane.Controller.History().Count;
        var inputs = Quoted(files).Select(f => new UatArtifactInput(f, () => File.OpenRead(RepoPaths.Fixture("uat", f)))).ToList();
        var report = new ReleaseGate(null, rehearsal.Time).Evaluate(new GateRequest(stage, _slaMs, _baseline, $"features_stage{stage}"), inputs);
        record.GateEvaluated = report;
        var stem = ReportFiles.For("gate", scenario.Scenario, "");
        ReportFiles.Write(stem + ".json", GateReportWriter.ToJson(report));
        ReportFiles.Write(stem + ".md", report.ToMarkdown());
        record.Gate = GateReportReader.Parse(File.ReadAllText(stem + ".json"), stem + ".json");
        scenario.Attach($"release gate stage {stage} ({report.Verdict})", stem + ".md");
        scenario.Attach($"release gate stage {stage} JSON", stem + ".json");
    }

    /// <summary>Acts on the last gate verdict: GO promotes the router to the next stage, NO-GO rolls back to v1 (kill switch), GO towards 100 % needs a passed rollback rehearsal.</summary>
    [When(@"^the gate verdict is applied to the router$")]
    public void Apply()
    {
        record.Promotion = new StagePromotion(plane.Controller).Apply(Gate(), record.Rehearsal);
        scenario.Attach("promotion", $"{record.Promotion.Action}: {record.Promotion.Detail}");
    }

    /// <summary>Compares a baseline and a candidate raw artifact (under <c>fixtures/uat/</c>) case by case before any canary starts.</summary>
    [When(@"^the shadow diff compares ""([^""]+)"" with ""([^""]+)""$")]
    public void ShadowDiffRun(string baseline, string candidate)
    {
        UatArtifactInput Input(string f) => new(f, () => File.OpenRead(RepoPaths.Fixture("uat", f)));
        record.ShadowDiff = new ShadowDiff(null, rehearsal.Time).Compare(Input(baseline), Input(candidate), "features");
        scenario.Attach("shadow diff", string.Join("\n", record.ShadowDiff.Entries.Where(e => e.Outcome != ShadowOutcome.Unchanged).Select(e => $"{e.CaseId} {e.Role}: {e.Outcome}{(e.Critical ? " (critical)" : "")}")));
    }

    /// <summary>Checks the gate verdict.</summary>
    [Then(@"^the gate says (GO|NO-GO)$")]
    public void Verdict(string verdict) => Assert.That(Gate().Verdict, Is.EqualTo(verdict), Checks());

    /// <summary>Checks the next stage named on GO (<c>25</c>, <c>50</c>, <c>100</c>, <c>hold_100pct_monitor</c>).</summary>
    [Then(@"^the next stage is ""([^""]+)""$")]
    public void Next(string next) => Assert.That(Gate().NextStage, Is.EqualTo(next), Checks());

    /// <summary>Checks which checks failed (comma-separated names, or <c>none</c>).</summary>
    [Then(@"^the failed checks are (.+)$")]
    public void Failed(string names)
    {
        var expected = names == "none" ? [] : names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.That(Gate().Checks.Where(c => c.Status == GateCheckStatus.Fail).Select(c => c.Name), Is.EquivalentTo(expected), Checks());
    }

    /// <summary>Checks the status of each named check (pass, fail, skipped) from a table with columns check and status.</summary>
    [Then(@"^the checks read:$")]
    public void CheckTable(Table table)
    {
        var actual = Gate().Checks.ToDictionary(c => c.Name, c => WireName.Of(c.Status));
        foreach (var row in table.Rows)
        {
            Assert.That(actual.GetValueOrDefault(row["check"]), Is.EqualTo(row["status"]), $"{table.Where(row)}: check {row["check"]} — {Checks()}");
        }
    }

    /// <summary>Checks the rollback action named on NO-GO.</summary>
    [Then(@"^the rollback action is ""([^""]+)""$")]
    public void RollbackAction(string action) => Assert.That(Gate().RollbackAction, Is.EqualTo(action));

    /// <summary>Checks that there is exactly one defect per failed check.</summary>
    [Then(@"^one defect is opened per failed check$")]
    public void Defects() =>
        Assert.That(Gate().Defects.Select(d => d.Check), Is.EqualTo(Gate().Checks.Where(c => c.Status == GateCheckStatus.Fail).Select(c => c.Name)));

    /// <summary>Checks what the gate scored: first runs, ignored diagnostic reruns and superseded first runs.</summary>
    [Then(@"^the gate scored (\d+) first runs?, ignored (\d+) diagnostic reruns? and (\d+) superseded results?$")]
    public void Counts(int firstRun, int diagnostic, int superseded)
    {
        var c = Gate().Counts;
        Assert.That((c.FirstRun, c.DiagnosticIgnored, c.Superseded), Is.EqualTo((firstRun, diagnostic, superseded)));
    }

    /// <summary>Checks the written reports: the JSON read back says what the gate decided (verdict, next stage or rollback action, every check, defects and counts), and the Markdown states the same verdict, every check's status and one section per defect.</summary>
    [Then(@"^the gate report is written as JSON and Markdown$")]
    public void ReportWritten()
    {
        var stem = ReportFiles.For("gate", scenario.Scenario, "");
        var written = GateReportReader.Parse(File.ReadAllText(stem + ".json"), stem + ".json");
        var evaluated = record.GateEvaluated ?? throw new InvalidOperationException("no stage gate ran yet: add 'When the stage N gate replays …'");
        Assert.That((written.Label, written.Stage, written.Verdict, written.NextStage, written.RollbackAction),
            Is.EqualTo((evaluated.Label, evaluated.Stage, evaluated.Verdict, evaluated.NextStage, evaluated.RollbackAction)), stem + ".json");
        Assert.That(written.Checks.Select(c => (c.Name, c.Status, c.Value, c.Threshold, c.Detail, c.CaseCount)),
            Is.EqualTo(evaluated.Checks.Select(c => (c.Name, c.Status, c.Value, c.Threshold, c.Detail, c.CaseCount))), stem + ".json");
        Assert.That(written.Defects.Select(d => (d.Check, d.Title, d.CaseCount, string.Join(", ", d.Cases.Select(c => $"{c.CaseId} {c.Role}")))),
            Is.EqualTo(evaluated.Defects.Select(d => (d.Check, d.Title, d.CaseCount, string.Join(", ", d.Cases.Select(c => $"{c.CaseId} {c.Role}"))))), stem + ".json");
        Assert.That(written.Counts, Is.EqualTo(evaluated.Counts), stem + ".json");
        Assert.That(written.Inputs.Select(i => (Path.GetFileName(i.Source), i.CaseCount)), Is.EqualTo(evaluated.Inputs.Select(i => (Path.GetFileName(i.Source), i.CaseCount))), stem + ".json");

        var md = File.ReadAllText(stem + ".md");
        Assert.That(md, Does.Contain(written.OverallGo ? $"## Verdict: **GO** — promote to " : $"## Verdict: **NO-GO** — roll back now: set `{written.RollbackAction}`"), stem + ".md");
        foreach (var c in written.Checks)
        {
            Assert.That(md, Does.Match($@"\| `{c.Name}` \| \S+ {WireName.Of(c.Status)} \|"), $"{stem}.md: row of {c.Name}");
        }
        Assert.That(written.Defects.Select(d => md.Contains($"### {d.Title}\n", StringComparison.Ordinal)), Is.All.True, stem + ".md");
    }

    /// <summary>Checks the reason the promotion gives (a part of it).</summary>
    [Then(@"^the promotion says ""([^""]+)""$")]
    public void PromotionSays(string text) => Assert.That(record.Promotion?.Detail, Does.Contain(text));

    /// <summary>Checks the router settings now: mode, percentage and kill switch.</summary>
    [Then(@"^the router is in (primary|shadow|canary|candidate) mode at (\d+(?:\.\d+)?)% with the kill switch (on|off)$")]
    public void Settings(RouterMode mode, double pct, bool killSwitch)
    {
        var s = plane.Settings;
        Assert.That((s.Mode, s.CanaryPct, s.KillSwitch), Is.EqualTo((mode, pct, killSwitch)));
    }

    /// <summary>Checks that the router sends every request to v1 because the kill switch is on (routes a probe session).</summary>
    [Then(@"^every request now goes to v1 because of the kill switch$")]
    public void AllV1()
    {
        var d = plane.Router.Route(new RouteRequest("probe-session", "probe-user"));
        Assert.That((d.Selected, d.Reason), Is.EqualTo((Engine.V1, RouteReason.KillSwitch)));
    }

    /// <summary>Checks the settings history written by this scenario's gate and rehearsal steps, in order: actor and a part of the reason per row.</summary>
    [Then(@"^the settings history since then reads:$")]
    public void History(Table table)
    {
        var changes = plane.Controller.History().Skip(record.HistoryMark ?? 0).ToList();
        var actual = changes.Select(c => $"{c.Actor}: {c.Reason}").ToList();
        Assert.That(changes, Has.Count.EqualTo(table.Rows.Count), string.Join("\n", actual));
        for (var i = 0; i < table.Rows.Count; i++)
        {
            Assert.That(changes[i].Actor, Is.EqualTo(table.Rows[i]["actor"]), string.Join("\n", actual));
            Assert.That(changes[i].Reason, Does.Contain(table.Rows[i]["reason contains"]), string.Join("\n", actual));
        }
    }

    /// <summary>Checks the shadow diff verdict: START CANARY or DO NOT START CANARY.</summary>
    [Then(@"^the shadow diff says ""(START CANARY|DO NOT START CANARY)""$")]
    public void ShadowVerdict(string verdict) => Assert.That(Diff().Verdict, Is.EqualTo(verdict));

    /// <summary>Checks the cases that block the canary (critical regressions), as <c>case role</c> pairs.</summary>
    [Then(@"^the blocking regressions are (.+)$")]
    public void Blocking(string cases)
    {
        var expected = cases == "none" ? [] : cases.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.That(Diff().Blocking.Select(e => $"{e.CaseId} {e.Role}"), Is.EquivalentTo(expected));
    }

    /// <summary>Checks how many cases regressed (pass → fail) and improved.</summary>
    [Then(@"^(\d+) cases? regressed and (\d+) improved$")]
    public void RegressedImproved(int regressed, int improved) =>
        Assert.That((Diff().With(ShadowOutcome.Regressed).Count, Diff().With(ShadowOutcome.Improved).Count), Is.EqualTo((regressed, improved)));

    private GateReport Gate() => record.Gate ?? throw new InvalidOperationException("no stage gate ran yet: add 'When the stage N gate replays …'");

    private ShadowDiffReport Diff() => record.ShadowDiff ?? throw new InvalidOperationException("no shadow diff ran yet");

    private string Checks() => string.Join("; ", Gate().Checks.Select(c => $"{c.Name} {WireName.Of(c.Status)}: {c.Detail}"));

    private static IEnumerable<string> Quoted(string list) => list.Split(',').Select(i => i.Trim().Trim('"'));
}
