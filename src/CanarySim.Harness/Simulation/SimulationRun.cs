using System.Globalization;
using System.Text;
using System.Text.Json;
using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Gating;
using CanarySim.Core.Reporting;
using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;
using CanarySim.Harness.Time;


namespace CanarySim.Harness.Simulation;

/// <summary>One execution of a plan (state of <see cref="RolloutSimulator.Run"/>).</summary>
internal sealed class SimulationRun : IStageGateRunner, IRolloutSignals
{
    private const string Operator = "simulated-operator";
    private readonly RolloutPlan _plan;
    private readonly SimulationOptions _options;
    private readonly DetectorOptions _detectorOptions;
    private readonly VirtualTimeProvider _clock;
    private readonly LiveSettings _live;
    private readonly InMemorySettingsStore _settings;
    private readonly SimulationAuditLog _audit;
    private readonly SimulatedMetricSource _metrics;
    private readonly CanaryGuard _guard;
    private readonly CanaryRouter _router;
    private readonly RolloutDriver _driver;
    private readonly WireMockEngines? _wire; // --engines wiremock: runs also go over HTTP (WireMockEngines.cs)
    private readonly IReadOnlyList<FaultInjection> _injections;
    private readonly long _requests;

    // report state
    private readonly List<ChartBucket> _series = [];
    private readonly List<ReportMarker> _markers = [];
    private readonly List<VerdictTrailEntry> _trail = [];
    private readonly List<StageSpan> _stages = [];
    private readonly List<(DateTimeOffset, string, string, bool, string)> _gates = [];
    private readonly List<GateReport> _gateReports = [];
    private readonly EvidenceLog _evidence;
    private readonly List<string> _windowNotes = [];
    private readonly Dictionary<string, int> _windowsPerStage = new(StringComparer.Ordinal);
    private readonly (DateTimeOffset? FirstBreach, List<string> Checks, DateTimeOffset? Rollback, VerdictAction Action)[] _injectionState;

    // counters
    private long _served, _v2Served, _fallbacks, _evaluations;
    private int _stageEnteredIndex;
    private DateTimeOffset _stageEnteredAt;
    private bool _lastWasBreach;
    private int _consecutivePasses;
    private bool _policyOncePending;
    private double _complaintBudget;
    private DateTimeOffset? _rolledBackAt;
    private string _rollbackReason = "";

    // per evidence window
    private readonly LatencyHistogram _windowP95 = new();
    private long _wRequests, _wV2, _wV2Fallbacks, _wV2Runs, _wEvaluations, _wPasses;
    private bool _wDisturbed, _wBlocked, _wRolledBack, _wAdvanced;

    // per chart bucket
    private long _bRequests, _bV2Served, _bV2Runs, _bV2Fallbacks;

    // per audit hour: route counts [engine, reason] and diff counts
    private readonly PeriodStats _period;
    private readonly long[,] _routeCounts = new long[2, RouteReasonNames.Count];
    // Counted per diff instance (the in-process engines reuse one per agent pair: no string hashing per request), grouped by content at each flush.
    private readonly Dictionary<DecisionDiff, long> _diffCounts = new(ReferenceEqualityComparer.Instance);
    private long _diffsCompared, _diffsChanged;

    public SimulationRun(RolloutPlan plan, SimulationOptions options, DetectorOptions detectorOptions, WireMockEngines? wire = null)
    {
        _plan = plan;
        _options = options;
        _detectorOptions = detectorOptions;
        _wire = wire;
        _requests = RolloutSimulator.EffectiveRequests(plan, options);
        _clock = new VirtualTimeProvider(plan.Start);
        var first = plan.Stages[0];
        var initial = RolloutDriver.SettingsFor(first, RouterSettings.Default with { Salt = plan.Salt, Phase = plan.Phase });
        _live = new LiveSettings(initial);
        _settings = new InMemorySettingsStore(initial);
        _audit = new SimulationAuditLog();
        _metrics = new SimulatedMetricSource(new InMemoryMetricsStore(_clock, Math.Max(options.RetainSamplesPerEngine, detectorOptions.WindowRuns)));
        _guard = new CanaryGuard(_metrics, _live, _settings, _audit, detectorOptions, _clock);
        _router = new CanaryRouter(_live, new RouterOptions { Random = new Random(options.Seed), TimeProvider = _clock });
        var agents = plan.Traffic.Agents.ToArray();
        var engines = new SyntheticEngines(agents);
        var sessions = new string[plan.Traffic.Sessions];
        for (var i = 0; i < sessions.Length; i++)
        {
            sessions[i] = "s-" + options.Seed.ToString("x", CultureInfo.InvariantCulture) + "-" + i.ToString("x5", CultureInfo.InvariantCulture);
        }
        var injections = FaultInjectionParser.ParseAll(plan.Inject, plan.Start).Concat(options.Injections).OrderBy(i => i.At).ToList();
        _injections = injections;
        _injectionState = injections.Select(_ => ((DateTimeOffset?)null, new List<string>(), (DateTimeOffset?)null, VerdictAction.None)).ToArray();
        _stageEnteredAt = plan.Start;
        _period = new PeriodStats(plan.Start);
        _evidence = new EvidenceLog($"{(plan.Title.Length > 0 ? plan.Title : plan.Name)} — rollout evidence log", plan.Scope);
        _guard.Controller.Changed += OnSettingsChanged;
        _driver = new RolloutDriver(plan, _guard, this, _clock, this);
        _driver.Stepped += Record;
        // Two shards, always (the split, not the core count, decides the random streams); shard 1 gets its
        // own seeded stream and its own router (its unkeyed draws must not interleave with shard 0's).
        _shards =
        [
            new TrafficShard(plan, options, _live, agents, sessions, engines, wire, new SimRandom(options.Seed), _router),
            new TrafficShard(plan, options, _live, agents, sessions, engines, wire, new SimRandom(unchecked(options.Seed * 1_000_003L + 0x5EED)),
                new CanaryRouter(_live, new RouterOptions { Random = new Random(unchecked(options.Seed * 31 + 7)), TimeProvider = _clock })),
        ];
    }

    private readonly TrafficShard[] _shards;
    private ShardWorker? _worker;

    public SimulationResult Execute(CancellationToken cancellationToken)
    {
        // In-process engines draw the second half of each interval on a second core; HTTP engines stay on one thread.
        _worker = _options.ParallelDraws && _wire is null && Environment.ProcessorCount > 1 ? new ShardWorker() : null;
        try
        {
            return ExecuteIntervals(cancellationToken);
        }
        finally
        {
            _worker?.Dispose();
            _worker = null;
        }
    }

    private SimulationResult ExecuteIntervals(CancellationToken cancellationToken)
    {
        var plan = _plan;
        var start = plan.Start;
        var interval = plan.EvaluationInterval;
        var ticks = (long)Math.Ceiling(plan.Duration.Ticks / (double)interval.Ticks);
        var ticksPerBucket = Math.Max(1, (long)Math.Ceiling(ticks / (double)_options.ChartBuckets));
        var ticksPerWindow = Math.Max(1, (long)Math.Round(plan.EvidenceWindow.Ticks / (double)interval.Ticks));
        var ticksPerHour = Math.Max(1, (long)Math.Round(TimeSpan.FromHours(1).Ticks / (double)interval.Ticks));
        var progressEvery = Math.Max(1, ticks / 200);
        var profile = _options.Profile ?? plan.Traffic.Profile;
        var weights = TrafficWeights(ticks, interval, start, profile);

        _evidence.Policy.AddRange(PolicyLines());
        if (plan.Stages[0].Kind == StageKind.Shadow)
        {
            _evidence.Add(new EvidenceRow
            {
                At = start,
                Window = "Kickoff",
                Scope = "Pre-rollout baseline: router in shadow mode, detector and evidence capture armed",
                Stage = plan.Stages[0].Name,
                Decision = EvidenceDecisions.Decide(new EvidenceWindowFacts { Stage = StageKind.Shadow, Kickoff = true }),
                Notes = $"Plan '{plan.Name}' loaded: {plan.Stages.Count} stages, evaluation every {PlanDuration.Format(interval)}, {_requests.ToString("N0", CultureInfo.InvariantCulture)} requests over {PlanDuration.Format(plan.Duration)}; first shadow window starts now.",
            });
        }
        foreach (var (inj, idx) in _injections.Select((x, i) => (x, i)))
        {
            _markers.Add(new ReportMarker(start + inj.At, "injection", inj.Describe()));
        }

        double cumulative = 0;
        long emitted = 0;
        Verdict? lastVerdict = null;
        var modifiers = new Modifiers[2];
        for (long tick = 0; tick < ticks; tick++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tickStart = start + TimeSpan.FromTicks(interval.Ticks * tick);
            var offset = tickStart - start;
            cumulative += weights[tick];
            var target = (long)Math.Round(cumulative * _requests);
            var count = (int)(target - emitted);
            emitted = target;

            var blocked = ComputeModifiers(offset, interval, modifiers);
            _metrics.RefusingAuth = blocked;
            if (blocked)
            {
                _wBlocked = true;
            }
            ServeInterval(count, tickStart, interval.Ticks, modifiers);

            var now = tickStart + interval;
            _clock.SetUtcNow(now);
            var bucketEnd = (tick + 1) % ticksPerBucket == 0 || tick == ticks - 1;
            // Once rolled back the rollout is over (re-enabling is manual): evaluate only for the charts.
            if (_driver.Machine.Status != RolloutStatus.RolledBack || bucketEnd)
            {
                var outcome = _guard.EvaluateAndAct();
                _evaluations++;
                _wEvaluations++;
                lastVerdict = outcome.Verdict ?? lastVerdict;
                Observe(now, outcome, modifiers);
            }

            if ((tick + 1) % ticksPerHour == 0 || tick == ticks - 1)
            {
                FlushRouteAudit(now);
            }
            if (bucketEnd)
            {
                FlushBucket(now, lastVerdict);
            }
            if ((tick + 1) % ticksPerWindow == 0 || tick == ticks - 1)
            {
                FlushWindow(now);
            }
            if (_options.Progress is { } progress && ((tick + 1) % progressEvery == 0 || tick == ticks - 1))
            {
                var s = _live.Current;
                progress(new SimulationProgress(now, (tick + 1) / (double)ticks, _driver.Machine.Stage.Name, s.CanaryPct, s.KillSwitch, _served));
            }
        }
        var end = start + TimeSpan.FromTicks(interval.Ticks * ticks);
        return BuildResult(end);
    }

    // ---------------------------------------------------------------- traffic

    private static double[] TrafficWeights(long ticks, TimeSpan interval, DateTimeOffset start, string profile)
    {
        var w = new double[ticks];
        double sum = 0;
        for (long i = 0; i < ticks; i++)
        {
            var mid = start + TimeSpan.FromTicks((long)(interval.Ticks * (i + 0.5)));
            var hour = mid.UtcDateTime.TimeOfDay.TotalHours;
            // Diurnal: busiest mid-afternoon UTC, quietest before dawn (peak/trough ≈ 4).
            var value = profile == "diurnal" ? 1 + 0.6 * Math.Sin((hour - 9) / 24 * 2 * Math.PI) : 1;
            w[i] = value;
            sum += value;
        }
        for (long i = 0; i < ticks; i++)
        {
            w[i] /= sum;
        }
        return w;
    }

    internal readonly struct Modifiers
    {
        public double LatencyFactor { get; init; }
        public double LatencyAdd { get; init; }
        public double CostFactor { get; init; }
        public double CostAdd { get; init; }
        public double QualityAdd { get; init; }
        public double Errors { get; init; }
        public double Timeouts { get; init; }
        public double InvalidOutput { get; init; }
        public double Violations { get; init; }
        public bool Active { get; init; }
    }

    /// <summary>Combines the faults active during this interval per engine; returns whether metrics refuse auth.</summary>
    private bool ComputeModifiers(TimeSpan offset, TimeSpan interval, Modifiers[] m)
    {
        var blocked = false;
        for (var e = 0; e < 2; e++)
        {
            double lf = 1, la = 0, cf = 1, ca = 0, qa = 0, err = 0, to = 0, inv = 0, viol = 0;
            var active = false;
            for (var i = 0; i < _injections.Count; i++)
            {
                var f = _injections[i];
                if (f.Once)
                {
                    // A single event: it fires in the interval that contains its time, once.
                    if (e == (int)f.Engine && offset <= f.At && f.At < offset + interval && _injectionOnceFired.Add(i))
                    {
                        _policyOncePending = true;
                        active = true;
                    }
                    continue;
                }
                if (!f.ActiveAt(offset))
                {
                    continue;
                }
                if (f.Kind == FaultKind.MetricsAuth)
                {
                    blocked = true;
                    continue;
                }
                if (f.Kind == FaultKind.Complaints)
                {
                    if (e == 1)
                    {
                        _complaintBudget += f.Rate * interval.TotalHours;
                        active = true;
                    }
                    continue;
                }
                if ((int)f.Engine != e)
                {
                    continue;
                }
                active = true;
                switch (f.Kind)
                {
                    case FaultKind.Latency: lf *= f.Factor; la += f.Add; break;
                    case FaultKind.Cost: cf *= f.Factor; ca += f.Add; break;
                    case FaultKind.Quality: qa += f.Add; break;
                    case FaultKind.Errors: err = Math.Max(err, f.Rate); break;
                    case FaultKind.Timeouts: to = Math.Max(to, f.Rate); break;
                    case FaultKind.Fallbacks: inv = Math.Max(inv, f.Rate); break;
                    case FaultKind.PolicyViolations: viol = Math.Max(viol, f.Rate); break;
                }
            }
            m[e] = new Modifiers
            {
                LatencyFactor = lf, LatencyAdd = la, CostFactor = cf, CostAdd = ca, QualityAdd = qa,
                Errors = err, Timeouts = to, InvalidOutput = inv, Violations = viol, Active = active,
            };
            if (active)
            {
                _wDisturbed = true;
            }
        }
        return blocked;
    }

    private readonly HashSet<int> _injectionOnceFired = [];
    /// <summary>
    /// Draws the interval's <paramref name="count"/> requests: the first half on shard 0, the second on
    /// shard 1 (on the worker thread when there is one, else after shard 0: same result), then replays
    /// both into the run in request order.
    /// </summary>
    private void ServeInterval(int count, DateTimeOffset tickStart, long tickTicks, Modifiers[] modifiers)
    {
        var half = count / 2;
        var (first, second) = (_shards[0], _shards[1]);
        // Single events of the interval go to the first shard; what it does not use waits for the next interval.
        first.PolicyOncePending = _policyOncePending;
        first.ComplaintBudget = _complaintBudget;
        var worker = count >= ParallelMinRequests ? _worker : null;
        worker?.Start(() => second.Run(half, count, count, tickStart, tickTicks, modifiers));
        first.Run(0, half, count, tickStart, tickTicks, modifiers);
        Replay(first); // while the worker, if any, finishes the second half
        if (worker is null)
        {
            second.Run(half, count, count, tickStart, tickTicks, modifiers);
        }
        else
        {
            worker.Wait();
        }
        _policyOncePending = first.PolicyOncePending;
        _complaintBudget = first.ComplaintBudget;
        Replay(second);
    }

    /// <summary>Intervals with fewer requests are drawn on one thread (the hand-off would cost more than it saves).</summary>
    private const int ParallelMinRequests = 64;

    /// <summary>Hands a shard's samples to the metrics store and its entries and counters to the run, in request order.</summary>
    private void Replay(TrafficShard shard)
    {
        foreach (var sample in shard.Samples)
        {
            _metrics.Add(sample);
        }
        foreach (var e in shard.Entries)
        {
            switch (e.Kind)
            {
                case TrafficShard.EntryKind.V1:
                    _period.AddV1(e.At, e.Quality);
                    break;
                case TrafficShard.EntryKind.V2:
                    _period.AddV2(e.At, e.Bin, e.Quality, e.Cost, e.Error, e.Fallback, e.Violation, e.Complaint);
                    _windowP95.AddBin(e.Bin);
                    break;
                default:
                    CountDiff(e.At, e.Diff!);
                    break;
            }
        }
        _served += shard.Served;
        _wRequests += shard.Served;
        _bRequests += shard.Served;
        _v2Served += shard.V2Served;
        _bV2Served += shard.V2Served;
        _fallbacks += shard.Fallbacks;
        _wV2Runs += shard.V2Runs;
        _bV2Runs += shard.V2Runs;
        _wV2Fallbacks += shard.V2Fallbacks;
        _bV2Fallbacks += shard.V2Fallbacks;
        _wV2 += shard.V2Traffic;
        for (var e = 0; e < 2; e++)
        {
            for (var r = 0; r < RouteReasonNames.Count; r++)
            {
                _routeCounts[e, r] += shard.RouteCounts[e, r];
            }
        }
        shard.Clear();
    }

    private void CountDiff(DateTimeOffset at, DecisionDiff diff)
    {
        _period.AddDiff(at, diff.AgentChanged);
        _diffsCompared++;
        if (diff.AgentChanged)
        {
            _diffsChanged++;
        }
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_diffCounts, diff, out _)++;
    }

    // ---------------------------------------------------------------- evaluation

    private void Observe(DateTimeOffset now, GuardOutcome outcome, Modifiers[] modifiers)
    {
        var verdict = outcome.Verdict;
        var settings = _live.Current;
        var verdictText = verdict is null ? "error" : RolloutSimulator.OutcomeWire(verdict.Outcome);
        var actionText = RolloutSimulator.ActionWire(outcome.Action);

        // Verdict trail: changes only.
        if (_trail.Count > 0 && _trail[^1].Verdict == verdictText && _trail[^1].Action == actionText && _trail[^1].Stage == _driver.Machine.Stage.Name)
        {
            _trail[^1] = _trail[^1] with { Repeats = _trail[^1].Repeats + 1 };
        }
        else
        {
            _trail.Add(new VerdictTrailEntry(now, _driver.Machine.Stage.Name, settings.CanaryPct, verdictText, actionText,
                verdict is null ? [outcome.Measurement.Error ?? "metric source error"] : verdict.Breaches.Concat(verdict.Pending).Select(b => b.Reason).ToList(), 0));
        }
        var isBreach = verdict is { Outcome: VerdictOutcome.Fail };
        if (isBreach && !_lastWasBreach)
        {
            _markers.Add(new ReportMarker(now, "breach", string.Join(", ", verdict!.Breaches.Select(b => b.Check))));
        }
        _lastWasBreach = isBreach;
        if (verdict is null || verdict.Outcome is VerdictOutcome.Fail or VerdictOutcome.Inconclusive)
        {
            _wDisturbed |= verdict is not null;
        }
        if (verdict?.Outcome == VerdictOutcome.Pass)
        {
            _wPasses++;
            _consecutivePasses++;
        }
        else
        {
            _consecutivePasses = 0;
        }
        if (verdict is not null)
        {
            TrackInjections(now, verdict, outcome.Action);
        }

        _driver.Observe(outcome);
        SimulateOperator(now);
    }

    private void TrackInjections(DateTimeOffset now, Verdict verdict, VerdictAction taken)
    {
        for (var i = 0; i < _injections.Count; i++)
        {
            var f = _injections[i];
            var startAt = _plan.Start + f.At;
            if (now < startAt)
            {
                continue;
            }
            var endAt = f.For is { } d ? startAt + d : (DateTimeOffset?)null;
            var st = _injectionState[i];
            if (st.Rollback is not null)
            {
                continue;
            }
            // Attribute breaches while the fault is active (and shortly after, while the window still holds its runs).
            var relevant = endAt is null || now <= endAt.Value + TimeSpan.FromHours(1);
            if (!relevant)
            {
                continue;
            }
            if (verdict.Outcome == VerdictOutcome.Fail && st.FirstBreach is null)
            {
                st.FirstBreach = now;
                st.Checks.AddRange(verdict.Breaches.Select(b => b.Check));
            }
            if (taken > st.Action)
            {
                st.Action = taken;
            }
            if (_live.Current.KillSwitch)
            {
                st.Rollback = _rolledBackAt ?? now;
            }
            _injectionState[i] = st;
        }
    }

    /// <summary>Records a step the driver acted on, for the report and the evidence.</summary>
    private void Record(StageStep step)
    {
        var stage = _plan.Stages[step.StageIndex];
        switch (step.Kind)
        {
            case StageStepKind.Advance:
                var from = _plan.Stages[_stageEnteredIndex];
                _stages.Add(new StageSpan(from.Name, from.Kind.ToWire(), from.Percent, _stageEnteredAt, step.At, $"promoted to {stage.Name}"));
                _stageEnteredIndex = step.StageIndex;
                _stageEnteredAt = step.At;
                _period.Reset();
                _markers.Add(new ReportMarker(step.At, "promotion", $"→ {Pct(stage.Percent)}"));
                _windowNotes.Add($"{Time(step.At)} promoted {from.Name} → {stage.Name} ({Pct(stage.Percent)})");
                _wAdvanced = true;
                break;
            case StageStepKind.Completed:
                _windowNotes.Add($"{Time(step.At)} rollout complete: {step.Reason}");
                _markers.Add(new ReportMarker(step.At, "promotion", "complete"));
                break;
            case StageStepKind.GatePassed:
            case StageStepKind.GateFailed:
                _gates.Add((step.At, stage.Name, step.Gate!.Gate.Describe(), step.Kind == StageStepKind.GatePassed, step.Reason));
                _windowNotes.Add($"{Time(step.At)} gate {step.Gate.Gate.Kind.ToWire()} {(step.Kind == StageStepKind.GatePassed ? "passed" : "FAILED")}: {step.Reason}");
                break;
            case StageStepKind.RolledBack:
                _windowNotes.Add($"{Time(step.At)} rollout stopped: {step.Reason}");
                break;
            case StageStepKind.SlowDown:
                _markers.Add(new ReportMarker(step.At, "slowdown", "slow down"));
                _windowNotes.Add($"{Time(step.At)} slowed down: {step.Reason}");
                break;
            case StageStepKind.TrafficReduced:
                _windowNotes.Add($"{Time(step.At)} holding: {step.Reason}");
                break;
        }
    }

    /// <summary>
    /// Stands in for the on-call human after a pause, a manual-review flag or a traffic reduction: once the
    /// detector has passed for the plan's healthy-evaluation count, resume and restore the stage's
    /// percentage — audited as <c>simulated-operator</c>. A full rollback is never undone (SPEC §2: manual).
    /// </summary>
    private void SimulateOperator(DateTimeOffset now)
    {
        var c = _guard.Controller;
        var s = _live.Current;
        if (s.KillSwitch || c.State == RollbackState.RolledBack || _driver.Machine.Status != RolloutStatus.Running)
        {
            return;
        }
        var stagePct = _driver.Machine.Stage.Percent;
        var reduced = s.Mode == RouterMode.Canary && s.CanaryPct + 1e-9 < stagePct;
        if (!(c.State != RollbackState.Active || c.NeedsManualReview || reduced) || _consecutivePasses < _plan.Progression.HealthyEvaluations)
        {
            return;
        }
        if (c.State != RollbackState.Active || c.NeedsManualReview)
        {
            _guard.Resume(Operator, $"healthy for {_consecutivePasses} evaluations: resumed (simulated on-call decision)");
        }
        if (reduced)
        {
            c.UpdateConfig(Operator, $"healthy for {_consecutivePasses} evaluations: restored {Pct(stagePct)} (simulated on-call decision)", x => x with { CanaryPct = stagePct });
        }
        _windowNotes.Add($"{Time(now)} {Operator} resumed at {Pct(stagePct)} after {_consecutivePasses} healthy evaluations");
    }

    long IRolloutSignals.DiffsCompared => _diffsCompared;

    long IRolloutSignals.DiffsChanged => _diffsChanged;

    double? IRolloutSignals.Over(string metric, TimeSpan period, DateTimeOffset end) => _period.Get(metric, period, end);

    private void OnSettingsChanged(SettingsChange change)
    {
        if (change.Kind is "rollback" or "staged_rollback" or "reduce_traffic" && change.Actor != "rollback-rehearsal")
        {
            _period.AddRollback(change.At);
        }
        switch (change.Kind)
        {
            case "rollback" when change.Actor != "rollback-rehearsal":
                _rolledBackAt ??= change.At;
                _rollbackReason = change.Reason;
                _wRolledBack = true;
                _markers.Add(new ReportMarker(change.At, "rollback", $"rollback ({change.Actor})"));
                _windowNotes.Add($"{Time(change.At)} ROLLBACK by {change.Actor}: kill switch on, {Pct(change.Before.CanaryPct)} → 0 % — {change.Reason}");
                break;
            case "staged_rollback":
                _markers.Add(new ReportMarker(change.At, "reduce", $"staged {Pct(change.Before.CanaryPct)}→{Pct(change.After.CanaryPct)}"));
                _windowNotes.Add($"{Time(change.At)} staged rollback {Pct(change.Before.CanaryPct)} → {Pct(change.After.CanaryPct)} — {change.Reason}");
                break;
            case "reduce_traffic":
                _markers.Add(new ReportMarker(change.At, "reduce", $"halved → {Pct(change.After.CanaryPct)}"));
                _windowNotes.Add($"{Time(change.At)} traffic reduced {Pct(change.Before.CanaryPct)} → {Pct(change.After.CanaryPct)} — {change.Reason}");
                break;
            case "pause":
                _markers.Add(new ReportMarker(change.At, "reduce", "paused"));
                _windowNotes.Add($"{Time(change.At)} paused at {Pct(change.After.CanaryPct)} — {change.Reason}");
                break;
            case "manual_review":
                _windowNotes.Add($"{Time(change.At)} manual review requested — {change.Reason}");
                break;
        }
    }

    // ---------------------------------------------------------------- gates

    /// <inheritdoc />
    public GateOutcome Run(PlanGate gate, PlanStage stage, DateTimeOffset at)
    {
        switch (gate.Kind)
        {
            case GateKind.ManualApproval:
                return new GateOutcome(gate, true, $"manual approval by {gate.Approver}: auto-approved in simulation (recorded)");
            case GateKind.ReleaseGate:
                return RunReleaseGate(gate, stage);
            case GateKind.RollbackRehearsal:
                return Rehearse(gate, stage, at);
            default:
                return new GateOutcome(gate, true, "detector verdict pass");
        }
    }

    private GateOutcome RunReleaseGate(PlanGate gate, PlanStage stage)
    {
        var gateStage = gate.GateStage ?? (int)Math.Round(stage.Percent);
        var label = $"{_plan.Name}_{stage.Name}".Replace(' ', '_');
        if (!ReleaseGate.IsSafeLabel(label))
        {
            label = "simulation";
        }
        var request = new GateRequest(gateStage, gate.LatencyP95SlaMs, gate.BaselineCorrectionRate, label);
        try
        {
            var inputs = gate.Artifacts.Select(a =>
            {
                var path = Path.IsPathRooted(a) ? a : Path.Combine(_options.ArtifactBase, a);
                return new UatArtifactInput(a, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read));
            }).ToList();
            var report = new ReleaseGate(null, _clock).Evaluate(request, inputs);
            _gateReports.Add(report);
            var detail = report.OverallGo
                ? $"release gate stage {gateStage}: GO → {report.NextStage} ({report.Counts.FirstRun} first-run cases)"
                : $"release gate stage {gateStage}: NO-GO ({string.Join(", ", report.Defects.Select(d => d.Check))}) → {report.RollbackAction}";
            return new GateOutcome(gate, report.OverallGo, detail, report.FileStem + ".md");
        }
        catch (Exception ex) when (ex is UatArtifactException or ArgumentException or IOException)
        {
            return new GateOutcome(gate, false, $"release gate stage {gateStage}: cannot judge the artifacts: {ex.Message}");
        }
    }

    /// <summary>Seed 000 §5: engine to v1, smoke scenarios through the real router, evidence recorded, previous stage restored only after a pass.</summary>
    private GateOutcome Rehearse(PlanGate gate, PlanStage stage, DateTimeOffset at)
    {
        var before = _live.Current;
        var c = _guard.Controller;
        c.UpdateConfig("rollback-rehearsal", $"rollback rehearsal before leaving {stage.Name}: engine set to v1", s => s with { KillSwitch = true });
        var results = new List<string>();
        var passed = true;
        var none = new Modifiers { LatencyFactor = 1, CostFactor = 1 };
        foreach (var scenario in gate.Smoke)
        {
            var smoke = new RouteRequest("smoke-" + scenario, null, scenario);
            var decision = _router.Route(smoke);
            var ok = decision.Selected == Engine.V1 && decision.Reason == RouteReason.KillSwitch;
            _wire?.Begin(smoke, decision, 0, "smoke");
            _shards[0].Record(Engine.V1, at, none, scenario, served: true, out var failed);
            _wire?.Complete();
            Replay(_shards[0]);
            ok &= !failed;
            passed &= ok;
            results.Add($"{scenario} {(ok ? "pass" : "FAIL")} (served by {decision.Selected.ToWire()}, reason {decision.Reason.ToWire()})");
        }
        var evidence = $"{_plan.Name}.evidence.md#rehearsal-{stage.Name}";
        if (passed)
        {
            c.UpdateConfig("rollback-rehearsal", $"rollback rehearsal passed ({string.Join(", ", gate.Smoke)}); previous stage restored", _ => before);
        }
        var detail = $"rollback rehearsal {(passed ? "passed" : "FAILED")}: {string.Join("; ", results)}; evidence {evidence}"
                     + (passed ? $"; restored {Pct(before.CanaryPct)}" : "; engine left on v1");
        return new GateOutcome(gate, passed, detail, evidence);
    }

    // ---------------------------------------------------------------- outputs

    private void FlushRouteAudit(DateTimeOffset now)
    {
        var s = _live.Current;
        for (var e = 0; e < 2; e++)
        {
            for (var r = 0; r < RouteReasonNames.Count; r++)
            {
                var n = _routeCounts[e, r];
                if (n == 0)
                {
                    continue;
                }
                _routeCounts[e, r] = 0;
                _audit.AppendAggregate(new AuditEvent(now, RouteEventJson.EventType, Json(w =>
                {
                    w.WriteString("selected", ((Engine)e).ToWire());
                    w.WriteString("reason", ((RouteReason)r).ToWire());
                    w.WriteNumber("count", n);
                    w.WriteNumber("canary_pct", s.CanaryPct);
                    w.WriteBoolean("kill_switch", s.KillSwitch);
                    w.WriteString("mode", s.Mode.ToWire());
                    w.WriteString("phase", s.Phase);
                    w.WriteString("period", "1h");
                })));
            }
        }
        var grouped = _diffCounts.GroupBy(kv => (kv.Key.AgentV1, kv.Key.AgentV2, kv.Key.AgentChanged, kv.Key.AnyChange), kv => kv.Value)
            .Select(g => new KeyValuePair<(string, string, bool, bool), long>(g.Key, g.Sum()));
        foreach (var ((a1, a2, agentChanged, any), n) in grouped.OrderBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item3).ThenBy(kv => kv.Key.Item4))
        {
            _audit.AppendAggregate(new AuditEvent(now, "decision_diff", Json(w =>
            {
                w.WriteString("agent_v1", a1);
                w.WriteString("agent_v2", a2);
                w.WriteBoolean("agent_changed", agentChanged);
                w.WriteBoolean("any_change", any);
                w.WriteNumber("count", n);
            })));
        }
        _diffCounts.Clear();
    }

    private void FlushBucket(DateTimeOffset now, Verdict? v)
    {
        var s = _live.Current;
        var live = _bV2Runs > 0; // v2's window is stale once it gets no traffic (after a rollback): draw nothing

        _series.Add(new ChartBucket
        {
            At = now,
            Requests = _bRequests,
            V2Served = _bV2Served,
            CanaryPercent = s.KillSwitch ? 0 : s.Mode == RouterMode.Shadow ? 0 : s.CanaryPct,
            V1P95 = v?.V1.P95LatencyMs,
            V2P95 = live ? v?.V2.P95LatencyMs : null,
            V1Quality = v?.V1.MeanQuality,
            V2Quality = live ? v?.V2.MeanQuality : null,
            V1ErrorRate = v is { V1.Count: > 0 } ? v.V1.ErrorRate : null,
            V2ErrorRate = live && v is { V2.Count: > 0 } ? v.V2.ErrorRate : null,
            V1Cost = v?.V1.MeanCostCents,
            V2Cost = live ? v?.V2.MeanCostCents : null,
            V2FallbackRate = _bV2Runs == 0 ? null : (double)_bV2Fallbacks / _bV2Runs,
        });
        _bRequests = _bV2Served = _bV2Runs = _bV2Fallbacks = 0;
    }

    private void FlushWindow(DateTimeOffset now)
    {
        // The window is named after the stage that served it (a promotion at its last evaluation is a note).
        var stage = _plan.Stages[_wStartStage];
        var endStage = _driver.Machine.Stage;
        var s = _live.Current;
        var rolledBack = _wRolledBack || s.KillSwitch;
        var n = _windowsPerStage.GetValueOrDefault(stage.Name) + 1;
        _windowsPerStage[stage.Name] = n;
        var label = rolledBack && !_wRolledBack ? $"Post-rollback window ({stage.Name})" : $"{Title(stage)} window #{n}";
        var shadowRuns = stage.Kind == StageKind.Shadow && !s.KillSwitch;
        var scope = s.KillSwitch
            ? $"kill switch on: v1 serves all {_wRequests.ToString("N0", CultureInfo.InvariantCulture)} requests"
            : shadowRuns
                ? $"shadow: v1 serves {_wRequests.ToString("N0", CultureInfo.InvariantCulture)} requests, v2 shadowed on {_wV2Runs.ToString("N0", CultureInfo.InvariantCulture)}"
                : $"{stage.Kind.ToWire()} {Pct(stage.Percent)}: {_wV2.ToString("N0", CultureInfo.InvariantCulture)} of {_wRequests.ToString("N0", CultureInfo.InvariantCulture)} requests on v2";
        if (endStage != stage && !s.KillSwitch)
        {
            scope += $"; promoted to {endStage.Name} ({Pct(endStage.Percent)}) at the window's end";
        }
        var facts = new EvidenceWindowFacts
        {
            Stage = stage.Kind,
            RolledBack = rolledBack,
            MetricsBlocked = _wBlocked,
            ExitCriteriaMet = _wAdvanced || (endStage == stage && _driver.Machine.ExitCriteriaMet) || _driver.Machine.Status == RolloutStatus.Completed,
            Advanced = _wAdvanced,
            Disturbed = _wDisturbed,
            TrafficBearing = _wV2Runs > 0,
        };
        var notes = new StringBuilder();
        notes.Append(CultureInfo.InvariantCulture, $"detector: {_wPasses}/{_wEvaluations} evaluations pass; v2 runs {_wV2Runs.ToString("N0", CultureInfo.InvariantCulture)}, fallbacks {_wV2Fallbacks.ToString("N0", CultureInfo.InvariantCulture)}");
        var active = _injections.Where(f => WindowOverlaps(f, now)).Select(f => f.Text).ToList();
        if (active.Count > 0)
        {
            notes.Append("; injected: ").Append(string.Join(", ", active));
        }
        if (_wBlocked)
        {
            notes.Append("; metrics endpoint answered 401 (ops token refused): evaluations recorded as errors");
        }
        foreach (var note in _windowNotes)
        {
            notes.Append(". ").Append(note);
        }
        if (stage.Kind == StageKind.Shadow && !facts.ExitCriteriaMet && !rolledBack && stage.ExitCriteria.Count > 0 && endStage == stage)
        {
            notes.Append(". Exit criteria not yet met: ").Append(string.Join("; ", stage.ExitCriteria));
        }
        _evidence.Add(new EvidenceRow
        {
            At = now,
            Window = label,
            Scope = scope,
            Stage = stage.Name,
            Percent = s.KillSwitch ? 0 : stage.Kind == StageKind.Shadow ? 0 : stage.Percent,
            Requests = _wRequests,
            V2Requests = _wV2,
            FallbackRate = _wV2Runs == 0 ? null : (double)_wV2Fallbacks / _wV2Runs,
            P95LatencyMs = _windowP95.Percentile(95),
            Decision = EvidenceDecisions.Decide(facts),
            Notes = notes.ToString(),
        });
        _windowP95.Clear();
        _windowNotes.Clear();
        _wRequests = _wV2 = _wV2Fallbacks = _wV2Runs = _wEvaluations = _wPasses = 0;
        _wDisturbed = _wBlocked = _wRolledBack = _wAdvanced = false;
        _wStartStage = _driver.Machine.StageIndex;
    }

    private int _wStartStage;

    private bool WindowOverlaps(FaultInjection f, DateTimeOffset windowEnd)
    {
        var wStart = windowEnd - _plan.EvidenceWindow;
        var fStart = _plan.Start + f.At;
        var fEnd = f.For is { } d ? fStart + d : DateTimeOffset.MaxValue;
        return fStart < windowEnd && fEnd > wStart;
    }

    private IEnumerable<string> PolicyLines()
    {
        foreach (var s in _plan.Stages)
        {
            var gates = s.Gates.Count == 0 ? "no gate" : string.Join(", ", s.Gates.Select(g => g.Describe()));
            var exit = s.ExitCriteria.Count == 0 ? "" : "; exit when " + string.Join(", ", s.ExitCriteria);
            yield return $"`{s.Name}` ({s.Kind.ToWire()}, {Pct(s.Percent)}): hold at least {PlanDuration.Format(s.MinHold)}; gates: {gates}{exit}.";
        }
        var o = _detectorOptions;
        yield return $"Detector every {PlanDuration.Format(_plan.EvaluationInterval)} over the {o.Window}: rollback on quality drop > {o.QualityDropMax.ToString(CultureInfo.InvariantCulture)}, p95 > {o.LatencyP95MaxMs.ToString(CultureInfo.InvariantCulture)} ms, cost > {o.CostMaxCents.ToString(CultureInfo.InvariantCulture)}¢, error rate > {(o.ErrorRateMax * 100).ToString(CultureInfo.InvariantCulture)} % for {PlanDuration.Format(o.ErrorRateSustainFor)}, fallback rate > {(o.FallbackRateMax * 100).ToString(CultureInfo.InvariantCulture)} % over {o.FallbackWindowRuns} runs, any policy violation; reduce traffic on p95 > {o.LatencySustainedP95MaxMs.ToString(CultureInfo.InvariantCulture)} ms for {PlanDuration.Format(o.LatencySustainFor)}; pause on cost > {o.CostSpikeFactor.ToString(CultureInfo.InvariantCulture)}× projected; manual review on > {o.ComplaintsMax} complaints in {PlanDuration.Format(o.ComplaintsWindow)}.";
        yield return $"Advance after {_plan.Progression.HealthyEvaluations} healthy evaluations in a row once the minimum hold has passed; slow down (hold ×{_plan.Progression.SlowDownFactor.ToString(CultureInfo.InvariantCulture)}) when divergence > {(_plan.Progression.MaxDivergence * 100).ToString(CultureInfo.InvariantCulture)} %{(_plan.Progression.StagedRollback ? "; staged rollback (halve, then 0 %)" : "")}.";
        if (_injections.Count > 0)
        {
            yield return "Injected faults: " + string.Join("; ", _injections.Select(i => $"`{i.Text}`")) + ".";
        }
    }

    private SimulationResult BuildResult(DateTimeOffset end)
    {
        var last = _plan.Stages[_stageEnteredIndex];
        var outcome = _driver.Machine.Status switch
        {
            RolloutStatus.Completed => "completed",
            RolloutStatus.RolledBack => "rolled_back",
            _ => _live.Current.KillSwitch ? "rolled_back" : "in_progress",
        };
        _stages.Add(new StageSpan(last.Name, last.Kind.ToWire(), last.Percent, _stageEnteredAt, null,
            outcome switch { "completed" => "completed", "rolled_back" => "rolled back", _ => "still holding at the end" }));
        var s = _live.Current;
        var injections = _injections.Select((f, i) => new InjectionOutcome(f.Text, _plan.Start + f.At, f.For is { } d ? _plan.Start + f.At + d : null,
            _injectionState[i].FirstBreach, _injectionState[i].Checks.Distinct().ToList(), _injectionState[i].Rollback, RolloutSimulator.ActionWire(_injectionState[i].Action))).ToList();
        var verdict = outcome switch
        {
            "completed" => $"completed: {Pct(last.Percent)} on v2 since {Time(_stageEnteredAt)}",
            "rolled_back" => $"rolled back at {Pct(last.Percent)} on {Time(_rolledBackAt ?? end)}" + (_rollbackReason.Length > 0 ? $": {Shorten(_rollbackReason)}" : ""),
            _ => $"in progress: holding {last.Name} ({Pct(s.CanaryPct)}) at the end of the plan",
        };
        var ttr = injections.Where(i => i.TimeToRollback is not null).Select(i => i.TimeToRollback!.Value).ToList();
        if (ttr.Count > 0)
        {
            verdict += $"; injected regression → rollback in {PlanDuration.Format(ttr.Min())}";
        }
        var report = new SimulationReport
        {
            Title = $"Simulation: {(_plan.Title.Length > 0 ? _plan.Title : _plan.Name)}",
            Plan = _plan.Name,
            Description = _plan.Description,
            Seed = _options.Seed,
            Engines = _options.Engines == SimulationEngines.InProcess ? "in-process" : "wiremock",
            Start = _plan.Start,
            End = end,
            Requests = _served,
            V2Served = _v2Served,
            Fallbacks = _fallbacks,
            Evaluations = _evaluations,
            Outcome = outcome,
            Verdict = verdict,
            FinalStage = last.Name,
            FinalPercent = s.KillSwitch ? 0 : s.CanaryPct,
            Stages = _stages,
            Series = _series,
            Thresholds = new ReportThresholds
            {
                LatencyP95Ms = _detectorOptions.LatencyP95MaxMs,
                LatencySustainedMs = _detectorOptions.LatencySustainedP95MaxMs,
                QualityDrop = _detectorOptions.QualityDropMax,
                CostCents = _detectorOptions.CostMaxCents,
                ErrorRate = _detectorOptions.ErrorRateMax,
                FallbackRate = _detectorOptions.FallbackRateMax,
            },
            Markers = _markers.OrderBy(m => m.At).ToList(),
            VerdictTrail = _trail,
            Injections = injections,
            Gates = _gates,
            EvidenceHref = _plan.Name + ".evidence.md",
        };
        return new SimulationResult
        {
            Plan = _plan,
            Seed = _options.Seed,
            Outcome = outcome,
            Verdict = verdict,
            Evidence = _evidence,
            Report = report,
            Audit = _audit.Events,
            SettingsHistory = _settings.History(),
            GateReports = _gateReports,
            Requests = _served,
            V2Served = _v2Served,
            Evaluations = _evaluations,
        };
    }

    private static string Shorten(string s) => s.Length <= 140 ? s : s[..137] + "...";

    private static string Title(PlanStage s) => s.Kind switch
    {
        StageKind.Shadow => "Shadow",
        StageKind.Canary => $"Limited cohort {Pct(s.Percent)}",
        _ => $"Broadened rollout {Pct(s.Percent)}",
    };

    private static string Pct(double p) => p.ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
