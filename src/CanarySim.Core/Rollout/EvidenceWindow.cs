using System.Globalization;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollout;

/// <summary>
/// One observation window of an evidence log: the one counter behind every evidence row, whether it is fed routed
/// runs one by one (<see cref="Record"/>: feature steps) or an evaluation interval's counts and latencies at a time
/// (<see cref="Add"/>, <see cref="AddV2LatencyBin"/>: the simulator, which never sees single runs on its hot path).
/// What it reports, and why:
/// <list type="bullet">
/// <item>The fallback rate is v2's failure rate: fallbacks and failed shadows over v2 runs. A failed shadow is the
/// fallback that would have happened had v2 served, so a shadow window shows v2's health, not a constant 0.</item>
/// <item>With no v2 run the fallback rate and the p95 are empty (n/a), never 0: nothing was measured.</item>
/// <item>The p95 is the nearest rank of the v2 latencies read from a <see cref="LatencyHistogram"/>: at most 0.502 %
/// off the exact nearest-rank value, so a window of millions of runs keeps no list of latencies.</item>
/// <item>It never judges exit criteria with thresholds of its own: the caller passes whether they held — in a
/// rollout, the stage machine's <see cref="RolloutStageMachine.ExitCriteriaMet"/>, the rule that advances the
/// stage; without a rollout, <see cref="Meets"/> judges the stage's criteria on this window's figures.</item>
/// <item>It does not name itself: in a rollout a window is named after the stage that served it
/// (<see cref="Name"/>); a scenario that reproduces a given log names its windows as that log does.</item>
/// <item>One rule says whether v2 was unhealthy in front of users (<see cref="Disturbed"/>, PARTIAL_TIMEOUT_RECOVERED),
/// however the window is fed: in a user-facing stage (canary or progressive), v2 failed more often than its baseline
/// failure rate explains, or a detector evaluation in the window did not pass (see <see cref="Disturbed"/>).</item>
/// </list>
/// </summary>
public sealed class EvidenceWindow
{
    private readonly LatencyHistogram _latency = new();
    private readonly SortedDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private EvidenceCounts _counts;
    private bool _unhealthyVerdict;

    /// <summary>Opens a window on the stage kind that serves it.</summary>
    /// <param name="stage">The stage kind that serves the window.</param>
    /// <param name="v2BaselineFailureRate">The share of v2 runs expected to fail when nothing is wrong (0 when every failure is news).</param>
    public EvidenceWindow(StageKind stage, double v2BaselineFailureRate = 0)
    {
        if (v2BaselineFailureRate is < 0 or >= 1 || double.IsNaN(v2BaselineFailureRate))
        {
            throw new ArgumentOutOfRangeException(nameof(v2BaselineFailureRate), v2BaselineFailureRate, "a failure rate is at least 0 and below 1");
        }
        Stage = stage;
        V2BaselineFailureRate = v2BaselineFailureRate;
    }

    /// <summary>The share of v2 runs expected to fail when nothing is wrong.</summary>
    public double V2BaselineFailureRate { get; }

    /// <summary>The stage kind that served the window.</summary>
    public StageKind Stage { get; private set; }

    /// <summary>Everything counted so far.</summary>
    public EvidenceCounts Counts => _counts;

    /// <summary>The metrics source refused access during the window (BLOCKED_AUTH).</summary>
    public bool MetricsBlocked { get; private set; }

    /// <summary>Detector evaluations in the window.</summary>
    public long Evaluations { get; private set; }

    /// <summary>Of <see cref="Evaluations"/>, those that passed.</summary>
    public long Passes { get; private set; }

    /// <summary>
    /// v2 was unhealthy in front of users (PARTIAL_TIMEOUT_RECOVERED): the stage is user-facing (canary or progressive) and
    /// either v2 failed more often than <see cref="V2BaselineFailureRate"/> explains (<see cref="FailuresBeyondBaseline"/>),
    /// or a detector evaluation in the window judged fail or inconclusive. A shadow window is never disturbed: v1
    /// answered every request, so nothing was recovered in front of users; its failures show in its fallback rate.
    /// </summary>
    public bool Disturbed => Stage != StageKind.Shadow && (_unhealthyVerdict || FailuresBeyondBaseline);

    /// <summary>
    /// v2's failures that v1 covered (fallbacks, failed shadows and stalled requests) exceed what the baseline failure
    /// rate explains: more than the expected count plus three binomial standard deviations. With a zero baseline any
    /// failure does; a day's window at a baseline error rate does not, however many runs it holds.
    /// </summary>
    public bool FailuresBeyondBaseline
    {
        get
        {
            var n = (double)(_counts.V2Runs + _counts.V2Stalled);
            var failures = _counts.V2Failures + _counts.V2Stalled;
            var p = V2BaselineFailureRate;
            return failures > n * p + 3 * Math.Sqrt(n * p * (1 - p));
        }
    }

    /// <summary>v2 failures (fallbacks and failed shadows) over v2 runs; null when v2 ran nothing.</summary>
    public double? FallbackRate => _counts.V2Runs == 0 ? null : (double)_counts.V2Failures / _counts.V2Runs;

    /// <summary>Nearest-rank p95 of the v2 latencies in ms, within 0.502 % (see <see cref="LatencyHistogram"/>); null without v2 runs.</summary>
    public double? P95LatencyMs => _latency.Percentile(95);

    /// <summary>
    /// v2 was given requests and none of its runs completed: every request stalled or every run timed out
    /// (a stalled execution pipeline).
    /// </summary>
    public bool Stalled => _counts.V2Runs + _counts.V2Stalled > 0 && _counts.V2Timeouts == _counts.V2Runs;

    /// <summary>The failures recorded run by run, by reason (<c>exception 1, timeout 2</c>; <c>none</c>).</summary>
    public string FailureReasons => _failures.Count == 0 ? "none" : string.Join(", ", _failures.Select(f => $"{f.Key} {f.Value}"));

    /// <summary>The window's figures as exit criteria read them (fallback rate, p50/p95/p99 latency, samples).</summary>
    public RolloutMetrics Figures => new()
    {
        FallbackRate = FallbackRate,
        P50LatencyMs = _latency.Percentile(50),
        P95LatencyMs = P95LatencyMs,
        P99LatencyMs = _latency.Percentile(99),
        Samples = _counts.V2Runs,
    };

    /// <summary>Records one routed run.</summary>
    public void Record(CanaryRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Fallback)
        {
            _counts += new EvidenceCounts(1, 1, 1, 0, run.FallbackReason == "timeout" ? 1 : 0, 0);
            Fail(run.FallbackReason ?? "exception");
            _latency.Add((run.Latency - run.ServedLatency).TotalMilliseconds);
        }
        else if (run.Decision.RunShadow && run.ShadowOutcome is { } outcome)
        {
            var failed = outcome != "ok";
            _counts += new EvidenceCounts(1, 1, 0, failed ? 1 : 0, outcome == "timeout" ? 1 : 0, 0);
            if (failed)
            {
                Fail(outcome);
            }
            _latency.Add((run.ShadowLatency ?? TimeSpan.Zero).TotalMilliseconds);
        }
        else if (run.ServedBy == Engine.V2)
        {
            _counts += new EvidenceCounts(1, 1, 0, 0, 0, 0);
            _latency.Add(run.ServedLatency.TotalMilliseconds);
        }
        else
        {
            _counts += new EvidenceCounts(1, 0, 0, 0, 0, 0);
        }
    }

    /// <summary>Adds an interval's counts (its v2 latencies go to <see cref="AddV2LatencyBin"/>).</summary>
    public void Add(in EvidenceCounts counts) => _counts += counts;

    /// <summary>Adds one v2 latency by its <see cref="LatencyHistogram.BinOf"/> bin.</summary>
    public void AddV2LatencyBin(int bin) => _latency.AddBin(bin);

    /// <summary>Marks the window as unable to read metrics (a <c>401 Unauthorized</c> from the metrics endpoint: BLOCKED_AUTH).</summary>
    public void MarkMetricsBlocked() => MetricsBlocked = true;

    /// <summary>Records one detector evaluation at the window (null: the evaluation failed to produce a verdict).</summary>
    public void Evaluated(VerdictOutcome? outcome)
    {
        Evaluations++;
        if (outcome == VerdictOutcome.Pass)
        {
            Passes++;
        }
        _unhealthyVerdict |= outcome is VerdictOutcome.Fail or VerdictOutcome.Inconclusive;
    }

    /// <summary>Whether every one of <paramref name="criteria"/> holds on this window's <see cref="Figures"/>, compared as the stage machine compares them (<see cref="ExitCriterion.IsSatisfiedBy"/>); for windows observed without a rollout.</summary>
    public bool Meets(IEnumerable<ExitCriterion> criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var figures = Figures;
        return criteria.All(c => c.IsSatisfiedBy(figures.Get(c.Metric)));
    }

    /// <summary>
    /// Whether a window's stage met its exit criteria, as the rollout's stage machine read them at the window's end: the
    /// stage advanced during the window, or it is still the current stage and its criteria held at the last observation,
    /// or the rollout completed. Pass it to <see cref="Facts"/> as <c>exitCriteriaMet</c>.
    /// </summary>
    /// <param name="machine">The rollout's stage machine.</param>
    /// <param name="windowStage">The stage that served the window.</param>
    /// <param name="advanced">The stage advanced during the window.</param>
    public static bool ExitCriteriaHeld(RolloutStageMachine machine, PlanStage windowStage, bool advanced)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return advanced || (machine.Stage == windowStage && machine.ExitCriteriaMet) || machine.Status == RolloutStatus.Completed;
    }

    /// <summary>The facts the decision is made from.</summary>
    /// <param name="rolledBack">The kill switch was on at the window's end, or a rollback happened in it.</param>
    /// <param name="exitCriteriaMet">The stage's exit criteria held at the window's end (the stage machine's reading).</param>
    /// <param name="advanced">The stage advanced during the window.</param>
    public EvidenceWindowFacts Facts(bool rolledBack, bool exitCriteriaMet, bool advanced = false) => new()
    {
        Stage = Stage,
        RolledBack = rolledBack,
        Stalled = Stalled,
        MetricsBlocked = MetricsBlocked,
        TrafficBearing = _counts.V2Runs > 0,
        ExitCriteriaMet = exitCriteriaMet,
        Advanced = advanced,
        Disturbed = Disturbed,
    };

    /// <summary>The window as an evidence-log row: its counts and figures, the decision of <paramref name="facts"/> and the caller's words.</summary>
    public EvidenceRow Row(DateTimeOffset at, string label, string scope, string stage, double percent, EvidenceWindowFacts facts, string notes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        return new EvidenceRow
        {
            At = at,
            Window = label,
            Scope = scope,
            Stage = stage,
            Percent = percent,
            Requests = _counts.Requests,
            V2Requests = _counts.V2Traffic,
            FallbackRate = FallbackRate,
            P95LatencyMs = P95LatencyMs,
            Decision = EvidenceDecisions.Decide(facts),
            Notes = notes,
        };
    }

    /// <summary>Closes a window observed without a rollout into a row, given the router settings at its end.</summary>
    public EvidenceRow Close(DateTimeOffset at, string label, RouterSettings settings, string scope, bool exitCriteriaMet)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var c = _counts;
        return Row(at, label, scope, WireName.Of(Stage), settings.KillSwitch ? 0 : settings.CanaryPct, Facts(settings.KillSwitch, exitCriteriaMet),
            string.Create(CultureInfo.InvariantCulture,
                $"missions={c.Requests}, v2_runs={c.V2Runs}, v2_failures={c.V2Failures} ({FailureReasons}){(settings.KillSwitch ? ", kill switch on" : "")}"));
    }

    /// <summary>Starts the next window on <paramref name="stage"/>: every count, latency and mark is forgotten.</summary>
    public void Reset(StageKind stage)
    {
        Stage = stage;
        _counts = default;
        _latency.Clear();
        _failures.Clear();
        MetricsBlocked = _unhealthyVerdict = false;
        Evaluations = Passes = 0;
    }

    /// <summary>
    /// A window's name in a rollout, after the stage that served it: <c>Shadow window #2</c>, <c>Limited cohort 5 % window #1</c>,
    /// <c>Broadened rollout 50 % window #3</c> (numbered per stage); one that ended with the kill switch on without a
    /// rollback in it is <c>Post-rollback window (stage)</c>.
    /// </summary>
    public static string Name(PlanStage stage, int number, bool postRollback = false)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (postRollback)
        {
            return $"Post-rollback window ({stage.Name})";
        }
        var pct = stage.Percent.ToString("0.##", CultureInfo.InvariantCulture) + " %";
        var title = stage.Kind switch
        {
            StageKind.Shadow => "Shadow",
            StageKind.Canary => $"Limited cohort {pct}",
            _ => $"Broadened rollout {pct}",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{title} window #{number}");
    }

    private void Fail(string reason)
    {
        _failures[reason] = _failures.TryGetValue(reason, out var n) ? n + 1 : 1;
    }
}
