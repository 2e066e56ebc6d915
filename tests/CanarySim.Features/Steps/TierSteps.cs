using System.Globalization;
using CanarySim.Core;
using CanarySim.Core.Rollout;
using CanarySim.Reports;

namespace CanarySim.Features.Steps;

/// <summary>
/// The playbook's progressive tiers (seed 003 phase 3): a plan given as a table, moved through by
/// the real stage machine under played traffic, with the real detector and rollback controller
/// judging every evaluation and people (approvers) as the only fakes.
/// </summary>
[Binding]
public sealed class TierSteps(ControlPlane plane, ScenarioWorld rehearsal, TierRecord record, ScenarioEvidence scenario)
{
    private readonly List<PlanStage> _stages = [];
    private readonly ApprovalGateRunner _approvers = new();
    private int _healthyEvaluations = new ProgressionOptions().HealthyEvaluations;
    private ProgressiveRollout? _rollout;

    private ProgressiveRollout Rollout => _rollout ?? throw new InvalidOperationException("the tiers have not been rolled out yet: add 'When the tiers are rolled out over …'");

    /// <summary>
    /// The tiers, in order. Columns: <c>tier</c> (name), <c>traffic</c> (percent), <c>min_hold</c>
    /// (<c>24h</c>, <c>2d</c>), <c>gate</c> (<c>detector</c>, <c>manual_approval</c>, <c>rollback_rehearsal</c>, comma-separated), <c>approver</c>,
    /// and an optional exit criterion <c>metric</c> below <c>below</c> sustained <c>for</c> (metrics:
    /// error_rate, p50_latency_ms, p95_latency_ms, quality_drop, cost_cents, rollbacks, …).
    /// </summary>
    [Given(@"^the progressive tiers:$")]
    public void Tiers(Table table)
    {
        foreach (var row in table.Rows)
        {
            var gates = new List<PlanGate> { new() { Kind = GateKind.Detector } };
            foreach (var gate in (row.Has("gate") ? row.Get<string>("gate") : "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!WireName.TryParseIgnoreCase<GateKind>(gate, out var kind))
                {
                    throw new FormatException($"{table.Where(row)}: unknown gate \"{gate}\"; expected detector, manual_approval or rollback_rehearsal");
                }
                if (kind != GateKind.Detector)
                {
                    gates.Add(new PlanGate { Kind = kind, Approver = row.Has("approver") ? row.Get<string>("approver") : "release-manager" });
                }
            }
            var criteria = new List<ExitCriterion>();
            if (row.Has("metric"))
            {
                criteria.Add(new ExitCriterion { Metric = row.Get<string>("metric"), Op = "<", Value = row.Get<double>("below"), For = Duration(row.Has("for") ? row.Get<string>("for") : "0s") });
            }
            _stages.Add(new PlanStage
            {
                Name = row.Get<string>("tier"),
                Kind = StageKind.Progressive,
                Percent = row.Get<double>("traffic"),
                MinHold = Duration(row.Get<string>("min_hold")),
                Gates = gates,
                ExitCriteria = criteria,
            });
        }
    }

    /// <summary>How many healthy detector evaluations in a row a tier needs before it may be left (the plan default is 30).</summary>
    [Given(@"^a tier needs (\d+) healthy evaluations in a row$")]
    public void HealthyEvaluations(int count) => _healthyEvaluations = count;

    /// <summary>Makes an approver refuse every manual approval.</summary>
    [Given(@"^""([^""]+)"" refuses to approve$")]
    public void Refuses(string approver) => _approvers.Refusing.Add(approver);

    /// <summary>Starts the rollout at the first tier and plays traffic for the duration, evaluating every interval (e.g. <c>8 days</c>, <c>1 hour</c>).</summary>
    [When(@"^the tiers are rolled out over (.+), evaluated every (.+)$")]
    public void RollOut(TimeSpan duration, TimeSpan every)
    {
        rehearsal.Timeline.Step = every;
        var plan = new RolloutPlan
        {
            Name = "playbook-tiers",
            Start = rehearsal.Time.GetUtcNow(),
            Duration = duration,
            EvaluationInterval = every,
            Progression = new ProgressionOptions { HealthyEvaluations = _healthyEvaluations },
            Stages = _stages,
        };
        var rollbackRehearsal = new RollbackRehearsal(plane.Controller, plane.Executor, rehearsal.Audit, rehearsal.Time);
        var evidence = ReportFiles.For("playbook", scenario.Scenario, "-rollback-rehearsal.md");
        _approvers.Rehearse = () =>
        {
            var result = rollbackRehearsal.RunAsync(evidence).GetAwaiter().GetResult();
            ReportFiles.Write(evidence, result.ToMarkdown());
            scenario.Attach($"rollback rehearsal ({(result.Passed ? "passed" : "FAILED")})", evidence);
            return result;
        };
        _rollout = new ProgressiveRollout(rehearsal, plane.Guard, plan, _approvers);
        record.Rollout = _rollout;
        _rollout.Run(duration);
    }

    /// <summary>Plays more traffic on the running rollout.</summary>
    [When(@"^the rollout continues for (.+)$")]
    public void Continue(TimeSpan duration) => Rollout.Run(duration);

    /// <summary>Checks the percentages the rollout went through, in order (e.g. <c>10%, 25% and 50%</c>).</summary>
    [Then(@"^the rollout went through ((?:\d+%(?:, | and )?)+)$")]
    public void WentThrough(string percents)
    {
        var expected = percents.Replace(" and ", ", ", StringComparison.Ordinal).Split(", ").Select(p => double.Parse(p.TrimEnd('%'), CultureInfo.InvariantCulture));
        Assert.That(Rollout.Entered.Select(e => e.Percent), Is.EqualTo(expected));
    }

    /// <summary>Checks that every tier left was held at least this long.</summary>
    [Then(@"^every tier was held at least (.+)$")]
    public void HeldAtLeast(TimeSpan hold)
    {
        var held = Rollout.Entered.Zip(Rollout.Entered.Skip(1), (a, b) => (a.Stage, Held: b.At - a.At)).ToList();
        Assert.That(held, Is.Not.Empty, "no tier was left");
        Assert.That(held.Where(h => h.Held < hold).Select(h => $"{h.Stage} held {h.Held}"), Is.Empty);
    }

    /// <summary>Checks the tier the rollout is holding at (and that the router serves its percentage).</summary>
    [Then(@"^the rollout holds at tier ""([^""]+)""$")]
    public void HoldsAt(string tier)
    {
        Assert.That(Rollout.Machine.Stage.Name, Is.EqualTo(tier));
        Assert.That(plane.Settings.CanaryPct, Is.EqualTo(Rollout.Machine.Stage.Percent));
    }

    /// <summary>Checks that a gate of a kind passed or failed at least once, with its detail mentioning a text.</summary>
    [Then(@"^a (manual_approval|rollback_rehearsal|detector) gate (passed|failed) mentioning ""(.+)""$")]
    public void GateOutcome(string kind, string result, string text)
    {
        var wanted = result == "passed" ? StageStepKind.GatePassed : StageStepKind.GateFailed;
        var details = Rollout.Steps.Where(s => s.Kind == wanted && s.Gate is { } g && WireName.Of(g.Gate.Kind) == kind).Select(s => s.Gate!.Detail).ToList();
        Assert.That(details, Has.Some.Contains(text), $"{kind} gates {result}: [{string.Join("; ", details)}]");
    }

    private static TimeSpan Duration(string text) =>
        PlanDuration.TryParse(text, out var value, out var error) ? value : throw new FormatException(error);
}
