using System.Text.Json;
using CanarySim.Core.Rollout;
using CanarySim.Reports;

namespace CanarySim.Features.Steps;

/// <summary>Rollback rehearsal steps (seed 000 §5): the real <see cref="RollbackRehearsal"/> against the WireMock-stubbed engines.</summary>
[Binding]
public sealed class RehearsalSteps(ControlPlane plane, StageRecord record, EngineStubs stubs, ScenarioWorld rehearsal, ScenarioEvidence scenario)
{
    /// <summary>Makes the v1 planner stub fail one smoke scenario (requests whose body names it) with an HTTP status.</summary>
    [Given(@"^the v1 planner stub fails smoke scenario ""([^""]+)"" with HTTP (\d{3})$")]
    public Task FailSmoke(string scenarioId, int status) =>
        stubs.AddAsync("v1", s => s.WithBodyContaining($"\"{scenarioId}\"").Returns(status, "{\"error\":\"smoke stub failure\"}"));

    /// <summary>Runs the rollback rehearsal: engine set to v1 (kill switch), smoke scenarios through the real router and stubs (default FIN-01, SAL-01, STK-01, WR-02, or the quoted list given), evidence written under <c>reports/features/rehearsal/</c>, previous stage restored only after a pass.</summary>
    [When(@"^the rollback rehearsal runs(?: with smoke scenarios (?<smoke>""[^""]+""(?:, ""[^""]+"")*)|(?<smoke>))$")]
    public async Task Run(string? smoke)
    {
        record.HistoryMark ??= plane.Controller.History().Count;
        var options = string.IsNullOrEmpty(smoke) ? new RollbackRehearsalOptions() : new RollbackRehearsalOptions { SmokeScenarios = smoke!.Split(',').Select(s => s.Trim().Trim('"')).ToList() };
        var evidence = ReportFiles.For("rehearsal", scenario.Scenario, ".md");
        var result = await new RollbackRehearsal(plane.Controller, plane.Executor, rehearsal.Audit, rehearsal.Time, options).RunAsync(evidence);
        ReportFiles.Write(evidence, result.ToMarkdown());
        record.Rehearsal = result;
        scenario.Attach($"rollback rehearsal ({(result.Passed ? "passed" : "FAILED")})", evidence);
    }

    /// <summary>Checks whether the rehearsal passed.</summary>
    [Then(@"^the rehearsal (passed|failed)$")]
    public void Outcome(string outcome) => Assert.That(Result().Passed, Is.EqualTo(outcome == "passed"), Result().ToMarkdown());

    /// <summary>Checks that each listed smoke scenario was served by v1 because of the kill switch and passed.</summary>
    [Then(@"^smoke scenarios (""[^""]+""(?:, ""[^""]+"")*) were served by v1 because of the kill switch$")]
    public void ServedByV1(string list)
    {
        var expected = list.Split(',').Select(s => s.Trim().Trim('"')).ToList();
        Assert.That(Result().Smoke.Select(s => s.Scenario), Is.EqualTo(expected));
        Assert.That(Result().Smoke.Select(s => (s.ServedBy?.ToString(), s.Reason.ToString(), s.Passed)),
            Is.All.EqualTo(("V1", "KillSwitch", true)), Result().ToMarkdown());
    }

    /// <summary>Checks that one smoke scenario failed and why (a part of its detail).</summary>
    [Then(@"^smoke scenario ""([^""]+)"" failed with ""([^""]+)""$")]
    public void SmokeFailed(string id, string text)
    {
        var smoke = Result().Smoke.Single(s => s.Scenario == id);
        Assert.That(smoke.Passed, Is.False, smoke.Detail);
        Assert.That(smoke.Detail, Does.Contain(text));
    }

    /// <summary>Checks the evidence: the audit log's <c>rehearsal</c> event names the evidence file, and that file states the outcome the event records and one row per smoke scenario with the audited result, engine and reason.</summary>
    [Then(@"^the evidence path is recorded in the audit log$")]
    public void Evidence()
    {
        var events = rehearsal.Audit.Read("rehearsal");
        Assert.That(events, Is.Not.Empty, "no rehearsal audit event");
        using var json = JsonDocument.Parse(events[^1].Data);
        var audited = json.RootElement;
        var path = audited.GetProperty("evidence_path").GetString();
        Assert.That(path, Is.EqualTo(Result().EvidencePath));
        var md = File.ReadAllText(path!);
        var passed = audited.GetProperty("passed").GetBoolean();
        Assert.That(md, Does.StartWith($"# Rollback rehearsal — {(passed ? "PASSED" : "FAILED")}\n"), path);
        Assert.That(md, Does.Contain($"\n- Evidence: {path}\n"), path);
        var smoke = audited.GetProperty("smoke").EnumerateArray().ToList();
        Assert.That(smoke, Is.Not.Empty, "the rehearsal event lists no smoke scenario");
        foreach (var s in smoke)
        {
            var row = $"| {s.GetProperty("scenario").GetString()} | {(s.GetProperty("passed").GetBoolean() ? "pass" : "FAIL")} | {s.GetProperty("served_by").GetString() ?? "none"} | {s.GetProperty("reason").GetString()} |";
            Assert.That(md, Does.Contain("\n" + row), $"{path}: no row {row}");
        }
        Assert.That(md.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal)) - 1, Is.EqualTo(smoke.Count), $"{path}: one table row per smoke scenario");
    }

    /// <summary>Checks whether the previous stage was restored after the rehearsal.</summary>
    [Then(@"^the previous stage (is|is not) restored$")]
    public void Restored(string isOrNot)
    {
        var restored = isOrNot == "is";
        Assert.That(Result().Restored, Is.EqualTo(restored), Result().ToMarkdown());
        Assert.That(plane.Settings, restored ? Is.EqualTo(Result().Before) : Is.Not.EqualTo(Result().Before));
    }

    private RehearsalResult Result() => record.Rehearsal ?? throw new InvalidOperationException("no rollback rehearsal ran yet: add 'When the rollback rehearsal runs'");
}
