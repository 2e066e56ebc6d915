using System.Globalization;
using System.Text;
using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;
using static CanarySim.Harness.Simulation.SimText;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// The rollout evidence log: a kickoff row, then one row per Core <see cref="EvidenceWindow"/> (named after the stage
/// that served it) with its traffic, v2 fallback rate and p95, the decision the window supports (exit criteria as the
/// stage machine read them) and notes of everything that happened in it. The window is fed per interval.
/// </summary>
internal sealed class EvidenceRecorder
{
    private readonly RolloutPlan _plan;
    private readonly RolloutDriver _driver;
    private readonly LiveSettings _live;
    private readonly FaultSchedule _faults;
    private readonly EvidenceWindow _window;
    private readonly List<string> _notes = [];
    private readonly Dictionary<string, int> _windowsPerStage = new(StringComparer.Ordinal);
    private bool _rolledBack, _advanced;
    private int _startStage;

    private readonly AppLogRecorder? _appLog;

    public EvidenceRecorder(RolloutPlan plan, RolloutDriver driver, LiveSettings live, FaultSchedule faults, AppLogRecorder? appLog = null)
    {
        _appLog = appLog;
        _plan = plan;
        _driver = driver;
        _live = live;
        _faults = faults;
        _window = new EvidenceWindow(plan.Stages[0].Kind, plan.Traffic.V2.ErrorRate);
        Log = new EvidenceLog($"{(plan.Title.Length > 0 ? plan.Title : plan.Name)} — rollout evidence log", plan.Scope);
    }

    public EvidenceLog Log { get; }

    public void Add(in IntervalCounts c) =>
        _window.Add(new EvidenceCounts(c.Served, c.V2Runs, c.V2Fallbacks, c.V2ShadowFailures, c.V2Timeouts, c.V2Stalled));

    public void AddV2LatencyBin(int bin) => _window.AddV2LatencyBin(bin);

    public void Note(string note) => _notes.Add(note);

    public void MarkBlocked() => _window.MarkMetricsBlocked();

    public void MarkRolledBack() => _rolledBack = true;

    public void MarkAdvanced() => _advanced = true;

    public void Evaluated(VerdictOutcome? outcome) => _window.Evaluated(outcome);

    public void Kickoff(DateTimeOffset start, long requests, IEnumerable<string> policy)
    {
        Log.Policy.AddRange(policy);
        if (_plan.Stages[0].Kind != StageKind.Shadow)
        {
            return;
        }
        Log.Add(new EvidenceRow
        {
            At = start,
            Window = "Kickoff",
            Scope = "Pre-rollout baseline: router in shadow mode, detector and evidence capture armed",
            Stage = _plan.Stages[0].Name,
            Decision = EvidenceDecisions.Decide(new EvidenceWindowFacts { Stage = StageKind.Shadow, Kickoff = true }),
            Notes = $"Plan '{_plan.Name}' loaded: {_plan.Stages.Count} stages, evaluation every {PlanDuration.Format(_plan.EvaluationInterval)}, {Count(requests)} requests over {PlanDuration.Format(_plan.Duration)}; first shadow window starts now."
                + (_appLog?.Startup(_live.Current.KillSwitch, start) is { } startup ? " " + startup : ""),
        });
    }

    public void Flush(DateTimeOffset now)
    {
        // The window is named after the stage that served it (a promotion at its last evaluation is a note).
        var stage = _plan.Stages[_startStage];
        var machine = _driver.Machine;
        var endStage = machine.Stage;
        var s = _live.Current;
        var w = _window;
        var c = w.Counts;
        var rolledBack = _rolledBack || s.KillSwitch;
        var n = _windowsPerStage.GetValueOrDefault(stage.Name) + 1;
        _windowsPerStage[stage.Name] = n;
        var label = EvidenceWindow.Name(stage, n, postRollback: rolledBack && !_rolledBack);
        var shadowRuns = stage.Kind == StageKind.Shadow && !s.KillSwitch;
        var scope = s.KillSwitch
            ? $"kill switch on: v1 serves all {Count(c.Requests)} requests"
            : shadowRuns
                ? $"shadow: v1 serves {Count(c.Requests)} requests, v2 shadowed on {Count(c.V2Runs)}"
                : $"{WireName.Of(stage.Kind)} {Pct(stage.Percent)}: {Count(c.V2Traffic)} of {Count(c.Requests)} requests on v2";
        if (endStage != stage && !s.KillSwitch)
        {
            scope += $"; promoted to {endStage.Name} ({Pct(endStage.Percent)}) at the window's end";
        }
        // Exit criteria are the stage machine's reading: the rule that advances the stage.
        var facts = w.Facts(rolledBack, EvidenceWindow.ExitCriteriaHeld(machine, stage, _advanced), _advanced);
        var notes = new StringBuilder();
        notes.Append(CultureInfo.InvariantCulture, $"detector: {w.Passes}/{w.Evaluations} evaluations pass; v2 runs {Count(c.V2Runs)}, fallbacks {Count(c.V2Fallbacks)}");
        if (c.V2ShadowFailures > 0)
        {
            notes.Append(CultureInfo.InvariantCulture, $", failed shadows {Count(c.V2ShadowFailures)}");
        }
        var active = _faults.OverlappingWindow(now).Select(f => f.Text).ToList();
        if (active.Count > 0)
        {
            notes.Append("; injected: ").Append(string.Join(", ", active));
        }
        if (w.MetricsBlocked)
        {
            notes.Append("; metrics endpoint answered 401 (ops token refused): evaluations recorded as errors");
        }
        if (c.V2Stalled > 0)
        {
            notes.Append(CultureInfo.InvariantCulture, $"; {Count(c.V2Stalled)} v2 runs stalled (never completed, active_runs stayed above 0; v1 answered): no v2 run reached the metrics{(c.V2Runs > 0 ? " while it lasted" : "")}");
        }
        if (rolledBack)
        {
            notes.Append("; reverted to v1 (kill switch on): back to shadow/primary until a new decision");
        }
        if (_appLog is not null)
        {
            notes.Append("; ").Append(_appLog.Flush(w.P95LatencyMs, s.KillSwitch, now));
        }
        foreach (var note in _notes)
        {
            notes.Append(". ").Append(note);
        }
        if (stage.Kind == StageKind.Shadow && !facts.ExitCriteriaMet && !rolledBack && stage.ExitCriteria.Count > 0 && endStage == stage)
        {
            notes.Append(". Exit criteria not yet met: ").Append(string.Join("; ", stage.ExitCriteria));
        }
        var percent = s.KillSwitch ? 0 : stage.Kind == StageKind.Shadow ? 0 : stage.Percent;
        Log.Add(w.Row(now, label, scope, stage.Name, percent, facts, notes.ToString()));
        _notes.Clear();
        _rolledBack = _advanced = false;
        _startStage = machine.StageIndex;
        w.Reset(_plan.Stages[_startStage].Kind);
    }

    /// <summary>The plan's policy in words, for the head of the evidence log.</summary>
    public static IEnumerable<string> PolicyLines(RolloutPlan plan, DetectorOptions o, IReadOnlyList<FaultInjection> injections)
    {
        foreach (var s in plan.Stages)
        {
            var gates = s.Gates.Count == 0 ? "no gate" : string.Join(", ", s.Gates.Select(g => g.Describe()));
            var exit = s.ExitCriteria.Count == 0 ? "" : "; exit when " + string.Join(", ", s.ExitCriteria);
            yield return $"`{s.Name}` ({WireName.Of(s.Kind)}, {Pct(s.Percent)}): hold at least {PlanDuration.Format(s.MinHold)}; gates: {gates}{exit}.";
        }
        if (o.Checks is { } declared)
        {
            yield return $"Detector every {PlanDuration.Format(plan.EvaluationInterval)} over the {o.Window} (at least {o.MinSamples} v2 runs), declared checks: "
                + string.Join("; ", declared.Select(DescribeCheck)) + ".";
        }
        else
        {
            yield return LegacyPolicyLine(plan, o);
        }
        foreach (var line in AfterPolicy(plan, injections))
        {
            yield return line;
        }
    }

    /// <summary>One declared check in words: <c>llm_rate_sick_caller: rate of llm_call where agent=SICK_CALLER &gt; 0.25 → rollback</c>.</summary>
    private static string DescribeCheck(CheckDefinition c)
    {
        var text = new StringBuilder();
        text.Append('`').Append(c.Name).Append("`: ").Append(WireName.Of(c.Aggregate)).Append(" of ").Append(c.Metric);
        if (c.Engine == Engine.V1)
        {
            text.Append(" (v1)");
        }
        foreach (var (tag, value) in c.Where.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            text.Append(" where ").Append(tag).Append('=').Append(value);
        }
        if (c.Compare != CheckCompare.Value)
        {
            text.Append(' ').Append(WireName.Of(c.Compare)).Append(" vs v1");
        }
        if (c.Max is { } max)
        {
            text.Append(" > ").Append(max.ToString(CultureInfo.InvariantCulture));
        }
        if (c.Min is { } min)
        {
            text.Append(c.Max is null ? " < " : " or < ").Append(min.ToString(CultureInfo.InvariantCulture));
        }
        if (c.Window is { } w)
        {
            text.Append(" over the ").Append(w);
        }
        if (c.Sustain is { } sustain)
        {
            text.Append(" for ").Append(PlanDuration.Format(sustain));
        }
        return text.Append(" → ").Append(WireName.Of(c.Action)).ToString();
    }

    private static string LegacyPolicyLine(RolloutPlan plan, DetectorOptions o) =>
        $"Detector every {PlanDuration.Format(plan.EvaluationInterval)} over the {o.Window}: rollback on quality drop > {o.QualityDropMax.ToString(CultureInfo.InvariantCulture)}, p95 > {o.LatencyP95MaxMs.ToString(CultureInfo.InvariantCulture)} ms, cost > {o.CostMaxCents.ToString(CultureInfo.InvariantCulture)}¢, error rate > {(o.ErrorRateMax * 100).ToString(CultureInfo.InvariantCulture)} % for {PlanDuration.Format(o.ErrorRateSustainFor)}, fallback rate > {(o.FallbackRateMax * 100).ToString(CultureInfo.InvariantCulture)} % over {o.FallbackWindowRuns} runs, any policy violation; reduce traffic on p95 > {o.LatencySustainedP95MaxMs.ToString(CultureInfo.InvariantCulture)} ms for {PlanDuration.Format(o.LatencySustainFor)}; pause on cost > {o.CostSpikeFactor.ToString(CultureInfo.InvariantCulture)}× projected; manual review on > {o.ComplaintsMax} complaints in {PlanDuration.Format(o.ComplaintsWindow)}.";

    private static IEnumerable<string> AfterPolicy(RolloutPlan plan, IReadOnlyList<FaultInjection> injections)
    {
        yield return $"Advance after {plan.Progression.HealthyEvaluations} healthy evaluations in a row once the minimum hold has passed; slow down (hold ×{plan.Progression.SlowDownFactor.ToString(CultureInfo.InvariantCulture)}) when divergence > {(plan.Progression.MaxDivergence * 100).ToString(CultureInfo.InvariantCulture)} %{(plan.Progression.StagedRollback ? "; staged rollback (halve, then 0 %)" : "")}.";
        if (injections.Count > 0)
        {
            yield return "Injected faults: " + string.Join("; ", injections.Select(i => $"`{i.Text}`")) + ".";
        }
    }
}
