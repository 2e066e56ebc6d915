using System.Globalization;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollout;
using CanarySim.Reports;

namespace CanarySim.Features.Steps;

/// <summary>Evidence-window steps (seed 002): missions through the real router and stubbed engines, observed in an <see cref="EvidenceWindow"/>, decided by <see cref="EvidenceDecisions"/>, judged by the real guard, written as an <see cref="EvidenceLog"/>.</summary>
[Binding]
public sealed class EvidenceSteps(ControlPlane plane, EvidenceRecord record, EngineStubs stubs, ScenarioWorld rehearsal, ScenarioEvidence scenario)
{
    /// <summary>Marker in a mission's body that the v2 stub answers with HTTP 500 (an injected fault).</summary>
    public const string FaultMarker = "\"inject_fault\":true";

    /// <summary>Time one mission takes on the virtual clock.</summary>
    public static readonly TimeSpan MissionSpacing = TimeSpan.FromSeconds(30);

    private int _missions;

    /// <summary>Makes the v2 planner stub fail (HTTP 500) every mission that carries an injected fault.</summary>
    [Given(@"^v2 fails every mission with an injected fault$")]
    public Task InjectFaults() => stubs.AddAsync("v2", s => s.WithBodyContaining(FaultMarker).Returns(500, "{\"error\":\"injected fault\"}"));

    /// <summary>Lets the real regression guard (detector + rollback controller) evaluate the collected samples at the end of every window, before the window's decision.</summary>
    [Given(@"^the regression guard evaluates at the end of every window$")]
    public void GuardWatches() => record.GuardWatches = true;

    /// <summary>Writes the kickoff row (START_SHADOW_WINDOW) before any traffic.</summary>
    [When(@"^the kickoff is logged$")]
    public void Kickoff()
    {
        var decision = EvidenceDecisions.Decide(new EvidenceWindowFacts { Stage = StageKind.Shadow, Kickoff = true });
        Add(new EvidenceRow { At = rehearsal.Time.GetUtcNow(), Window = "Kickoff", Scope = "pre-rollout baseline and instrumentation readiness", Decision = decision });
    }

    /// <summary>
    /// Observes one window of a stage kind (shadow, canary, progressive): serves the missions through the real router (sessions <c>mission-N</c>, or one cohort user's requests),
    /// the last ones with an injected v2 fault when asked, records their samples, lets the guard evaluate when it watches, and closes the window into an evidence-log row.
    /// </summary>
    [When(@"^the (shadow|canary|progressive) window ""([^""]+)"" carries (\d+) missions?(?: from cohort user ""(?<cohortUser>[^""]+)""|(?<cohortUser>))(?:, the last (?<faults>\d+) with an injected v2 fault|(?<faults>))$")]
    public async Task Window(StageKind stage, string label, int count, string? cohortUser, int? faults)
    {
        var window = new EvidenceWindow(stage);
        var executor = plane.Executor;
        for (var i = 0; i < count; i++)
        {
            var n = ++_missions;
            var faulty = faults is int f && i >= count - f;
            var payload = JsonSerializer.Serialize(new Dictionary<string, object> { ["kind"] = "plan", ["mission"] = n, ["inject_fault"] = faulty });
            var request = new Core.Routing.EngineRequest(string.IsNullOrEmpty(cohortUser) ? $"mission-{n}" : null, string.IsNullOrEmpty(cohortUser) ? null : cohortUser, null, payload);
            var run = await executor.RunAsync(request);
            window.Record(run);
            foreach (var sample in RunSamples.FromRun(run, rehearsal.Time.GetUtcNow()))
            {
                rehearsal.Metrics.Add(sample);
            }
            rehearsal.Time.Advance(MissionSpacing);
        }
        if (record.GuardWatches)
        {
            record.Guard = plane.Guard.EvaluateAndAct();
            window.Evaluated(record.Guard.Verdict?.Outcome);
            scenario.Attach($"guard after {label}", $"{record.Guard.Action}: {string.Join("; ", record.Guard.Breaches.Select(b => b.Reason))}");
        }
        var scope = string.Create(CultureInfo.InvariantCulture, $"{WireName.Of(stage)}: {count} missions{(string.IsNullOrEmpty(cohortUser) ? "" : $" from cohort user {cohortUser}")}{(faults is > 0 ? $", {faults} with an injected v2 fault" : "")}");
        Add(window.Close(rehearsal.Time.GetUtcNow(), label, plane.Settings, scope, window.Meets(ExitCriteria(plane.Policy))));
    }

    /// <summary>
    /// The seed's shadow exit, as plan exit criteria: v2's fallback rate and p95 within the detector policy's limits. No rollout
    /// plan drives these windows, so there is no stage machine to ask; the window judges the criteria on its own figures
    /// with the stage machine's comparison.
    /// </summary>
    private static ExitCriterion[] ExitCriteria(DetectorOptions policy) =>
    [
        new() { Metric = "fallback_rate", Op = "<=", Value = policy.FallbackRateMax },
        new() { Metric = "p95_latency_ms", Op = "<=", Value = policy.LatencyP95MaxMs },
    ];

    /// <summary>Checks the decision of the last window (the evidence-log vocabulary of seed 002).</summary>
    [Then(@"^the window decision is (START_SHADOW_WINDOW|HOLD_SHADOW|READY_FOR_LIMITED_COHORT_PILOT|GO_BROADER_TRAFFIC_ACTIVE|BLOCKED_AUTH|BLOCKED_EXECUTION_PIPELINE|PARTIAL_TIMEOUT_RECOVERED)$")]
    public void Decision(string decision) => Assert.That(Row().Decision, Is.EqualTo(decision), $"{Row().Window}: {Row().Notes}");

    /// <summary>Checks the fallback rate of the last window as the log prints it (<c>0.250</c>, <c>n/a</c>).</summary>
    [Then(@"^the window fallback rate reads (\d\.\d{3}|n/a)$")]
    public void Rate(string rate) => Assert.That(EvidenceLog.FormatRate(Row().FallbackRate), Is.EqualTo(rate), Row().Notes);

    /// <summary>Checks that the guard rolled back at the end of the last window, with a breach reason containing the text.</summary>
    [Then(@"^the guard rolled back because ""([^""]+)""$")]
    public void RolledBack(string reason)
    {
        var outcome = record.Guard ?? throw new InvalidOperationException("the guard did not evaluate: add 'Given the regression guard evaluates at the end of every window'");
        Assert.That(outcome.Action, Is.EqualTo(VerdictAction.Rollback), string.Join("; ", outcome.Breaches.Select(b => b.Reason)));
        Assert.That(outcome.Breaches.Select(b => b.Reason), Has.Some.Contains(reason));
    }

    /// <summary>Checks that the guard took no action at the end of the last window.</summary>
    [Then(@"^the guard took no action$")]
    public void NoAction()
    {
        var outcome = record.Guard ?? throw new InvalidOperationException("the guard did not evaluate");
        Assert.That(outcome.Action, Is.EqualTo(VerdictAction.None), string.Join("; ", outcome.Breaches.Select(b => b.Reason).Concat(outcome.Verdict?.Notes ?? [])));
    }

    /// <summary>Checks the whole evidence log, row by row: window, fallback rate (as printed) and decision; writes it as Markdown under <c>reports/features/evidence/</c>.</summary>
    [Then(@"^the evidence log reads:$")]
    public void LogReads(Table table)
    {
        var log = record.Log ?? throw new InvalidOperationException("no window was logged yet");
        var path = ReportFiles.For("evidence", scenario.Scenario, ".md");
        ReportFiles.Write(path, log.ToMarkdown());
        scenario.Attach("evidence log", path);
        var actual = log.Rows.Select(r => $"{r.Window} | {EvidenceLog.FormatRate(r.FallbackRate)} | {r.Decision}").ToList();
        var expected = table.Rows.Select(r => $"{r["window"]} | {r["fallback rate"]} | {r["decision"]}").ToList();
        Assert.That(actual, Is.EqualTo(expected), "evidence log:\n" + log.ToMarkdown());
    }

    private void Add(EvidenceRow row)
    {
        record.Log ??= new EvidenceLog(scenario.Scenario.FeatureName, scenario.Scenario.Name);
        record.Log.Add(row);
        record.LastRow = row;
    }

    private EvidenceRow Row() => record.LastRow ?? throw new InvalidOperationException("no window was logged yet");
}
