using System.Globalization;
using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Notification;
using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;
using Microsoft.Extensions.Time.Testing;
using static CanarySim.Harness.Simulation.SimText;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// One execution of a plan (the state of <see cref="RolloutSimulator.Run"/>): the interval loop. Each
/// interval's requests are drawn by two <see cref="TrafficShard"/>s and replayed into the metrics store, the
/// period statistics and the recorders; then the guard evaluates once and Core's <see cref="RolloutDriver"/>
/// moves the rollout. The faults come from a <see cref="FaultSchedule"/>, the gates from
/// <see cref="SimulationGates"/>, and the outputs from the recorders and <see cref="SimulationReportBuilder"/>.
/// </summary>
internal sealed class SimulationRun : IRolloutSignals
{
    private const string Operator = "simulated-operator";

    /// <summary>Intervals with fewer requests are drawn on one thread (the hand-off would cost more than it saves).</summary>
    private const int ParallelMinRequests = 64;

    private readonly RolloutPlan _plan;
    private readonly SimulationOptions _options;
    private readonly DetectorOptions _detectorOptions;
    private readonly FakeTimeProvider _clock;
    private readonly LiveSettings _live;
    private readonly InMemorySettingsStore _settings;
    private readonly SimulationAuditLog _audit;
    private readonly SimulatedMetricSource _metrics;
    private readonly CanaryGuard _guard;
    private readonly RolloutDriver _driver;
    private readonly SimulationGates _gates;
    private readonly WireMockEngines? _wire; // --engines wiremock: runs also go over HTTP (WireMockEngines.cs)
    private readonly FaultSchedule _faults;
    private readonly PeriodStats _period;
    private readonly TrafficShard[] _shards;
    private readonly long _requests;

    // recorders
    private readonly RouteAuditRecorder _routeAudit;
    private readonly ChartRecorder _chart = new();
    private readonly EvidenceRecorder _evidence;
    private readonly AppLogRecorder? _appLog;
    private readonly RollbackProcedure? _procedure;
    private readonly RecordingNotifier _onCall = new();
    private readonly TimelineRecorder _timeline;

    private long _served, _v2Served, _fallbacks, _evaluations;
    private int _consecutivePasses;
    private ShardWorker? _worker;

    public SimulationRun(RolloutPlan plan, SimulationOptions options, DetectorOptions detectorOptions, WireMockEngines? wire = null)
    {
        _plan = plan;
        _options = options;
        _detectorOptions = detectorOptions;
        _wire = wire;
        _requests = RolloutSimulator.EffectiveRequests(plan, options);
        _clock = new FakeTimeProvider(plan.Start);
        var initial = RolloutDriver.SettingsFor(plan.Stages[0], RouterSettings.Default with { Salt = plan.Salt, Phase = plan.Phase });
        _live = new LiveSettings(initial);
        _settings = new InMemorySettingsStore(initial);
        _audit = new SimulationAuditLog();
        _routeAudit = new RouteAuditRecorder(_audit, options.RecordRouteAudit);
        _metrics = new SimulatedMetricSource(new InMemoryMetricsStore(_clock, Math.Max(options.RetainSamplesPerEngine, detectorOptions.WindowRuns)));
        _guard = new CanaryGuard(_metrics, _live, _settings, _audit, detectorOptions, _clock);
        var router = new CanaryRouter(_live, new RouterOptions { Random = new Random(options.Seed), TimeProvider = _clock });
        var agents = plan.Traffic.Agents.ToArray();
        var engines = new SyntheticEngines(agents);
        var sessions = new string[plan.Traffic.Sessions];
        for (var i = 0; i < sessions.Length; i++)
        {
            sessions[i] = "s-" + options.Seed.ToString("x", CultureInfo.InvariantCulture) + "-" + i.ToString("x5", CultureInfo.InvariantCulture);
        }
        _faults = new FaultSchedule(plan, options.Injections);
        var runMetrics = RunMetrics.From(plan, detectorOptions, _faults.Injections);
        _period = new PeriodStats(plan.Start);
        // Two shards, always (the split, not the core count, decides the random streams); shard 1 gets its
        // own seeded stream and its own router (its unkeyed draws must not interleave with shard 0's).
        _shards =
        [
            new TrafficShard(plan, options, _live, agents, sessions, engines, wire, new SimRandom(options.Seed), router, runMetrics, _faults.ActiveMetrics),
            new TrafficShard(plan, options, _live, agents, sessions, engines, wire, new SimRandom(unchecked(options.Seed * 1_000_003L + 0x5EED)),
                new CanaryRouter(_live, new RouterOptions { Random = new Random(unchecked(options.Seed * 31 + 7)), TimeProvider = _clock }), runMetrics, _faults.ActiveMetrics),
        ];
        _gates = new SimulationGates(plan, options, _clock, _guard.Controller, _audit, router, DrawSmokeRun);
        _procedure = plan.RollbackProcedure ? new RollbackProcedure(_onCall, _audit, _clock) : null;
        _guard.Controller.Changed += OnSettingsChanged;
        _driver = new RolloutDriver(plan, _guard, _gates, _clock, this);
        _appLog = plan.AppLog ? new AppLogRecorder(runMetrics, detectorOptions) : null;
        _evidence = new EvidenceRecorder(plan, _driver, _live, _faults, _appLog);
        _timeline = new TimelineRecorder(plan, _evidence);
        _driver.Stepped += _timeline.Record;
    }

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
        var weights = TrafficWeights(ticks, interval, start, _options.Profile ?? plan.Traffic.Profile);

        _evidence.Kickoff(start, _requests, EvidenceRecorder.PolicyLines(plan, _detectorOptions, _faults.Injections));
        _timeline.Injections(_faults.Injections);

        double cumulative = 0;
        long emitted = 0;
        Verdict? lastVerdict = null;
        var modifiers = new FaultModifiers[2];
        for (long tick = 0; tick < ticks; tick++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tickStart = start + TimeSpan.FromTicks(interval.Ticks * tick);
            cumulative += weights[tick];
            var target = (long)Math.Round(cumulative * _requests);
            var count = (int)(target - emitted);
            emitted = target;

            var blocked = _faults.Apply(tickStart - start, interval, modifiers);
            _metrics.RefusingAuth = blocked;
            if (blocked)
            {
                _evidence.MarkBlocked();
            }
            ServeInterval(count, tickStart, interval.Ticks, modifiers);

            var now = tickStart + interval;
            _clock.SetUtcNow(now);
            var bucketEnd = (tick + 1) % ticksPerBucket == 0 || tick == ticks - 1;
            // Once rolled back the rollout is over (re-enabling is manual): evaluate only for the charts.
            if (_driver.Status != RolloutStatus.RolledBack || bucketEnd)
            {
                var outcome = _guard.EvaluateAndAct();
                _evaluations++;
                lastVerdict = outcome.Verdict ?? lastVerdict;
                Observe(now, outcome);
            }

            if ((tick + 1) % ticksPerHour == 0 || tick == ticks - 1)
            {
                _routeAudit.Flush(now, _live.Current);
            }
            if (bucketEnd)
            {
                _chart.Flush(now, lastVerdict, _live.Current);
            }
            if ((tick + 1) % ticksPerWindow == 0 || tick == ticks - 1)
            {
                _evidence.Flush(now);
            }
            if (_options.Progress is { } progress && ((tick + 1) % progressEvery == 0 || tick == ticks - 1))
            {
                var s = _live.Current;
                progress(new SimulationProgress(now, (tick + 1) / (double)ticks, _driver.Stage.Name, s.CanaryPct, s.KillSwitch, _served));
            }
        }
        var end = start + TimeSpan.FromTicks(interval.Ticks * ticks);
        return SimulationReportBuilder.Build(_plan, _options, _detectorOptions, end, new(_served, _v2Served, _fallbacks, _evaluations), _driver.Status,
            _live.Current, _timeline, _chart, _evidence.Log, _faults, _gates.Reports, _audit, _settings) with { AppLog = _appLog?.Lines ?? [] };
    }

    /// <summary>
    /// Draws the interval's <paramref name="count"/> requests: the first half on shard 0, the second on
    /// shard 1 (on the worker thread when there is one, else after shard 0: same result), then replays
    /// both into the run in request order.
    /// </summary>
    private void ServeInterval(int count, DateTimeOffset tickStart, long tickTicks, FaultModifiers[] modifiers)
    {
        var half = count / 2;
        var (first, second) = (_shards[0], _shards[1]);
        // Single events of the interval go to the first shard; what it does not use waits for the next interval.
        first.PolicyOncePending = _faults.PolicyOncePending;
        first.ComplaintBudget = _faults.ComplaintBudget;
        first.MetricOnce = _faults.MetricOncePending;
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
        _faults.PolicyOncePending = first.PolicyOncePending;
        _faults.ComplaintBudget = first.ComplaintBudget;
        Replay(second);
    }

    /// <summary>Hands a shard's samples to the metrics store and its entries and counts to the period statistics and the recorders, in request order.</summary>
    private void Replay(TrafficShard shard)
    {
        foreach (var sample in shard.Samples)
        {
            _metrics.Add(sample);
            if (_appLog is not null && sample.Engine == Engine.V2)
            {
                _appLog.Add(sample);
            }
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
                    _evidence.AddV2LatencyBin(e.Bin);
                    break;
                default:
                    _period.AddDiff(e.At, e.Diff!.AgentChanged);
                    _routeAudit.AddDiff(e.Diff);
                    break;
            }
        }
        var counts = default(IntervalCounts);
        counts.Add(shard);
        _served += counts.Served;
        _v2Served += counts.V2Served;
        _fallbacks += counts.Fallbacks;
        _evidence.Add(counts);
        _appLog?.Add(counts);
        _chart.Add(counts);
        _routeAudit.AddRoutes(shard.RouteCounts);
        shard.Clear();
    }

    /// <summary>Draws one run of <paramref name="engine"/> for a rehearsal's smoke scenario on shard 0; returns whether it failed.</summary>
    private bool DrawSmokeRun(Engine engine, string scenario)
    {
        _shards[0].Record(engine, _clock.GetUtcNow(), FaultModifiers.None, scenario, served: true, out var failed);
        Replay(_shards[0]);
        return failed;
    }

    private void Observe(DateTimeOffset now, GuardOutcome outcome)
    {
        var verdict = outcome.Verdict;
        _timeline.Evaluated(now, outcome, _driver.Stage.Name, _live.Current.CanaryPct);
        var passed = verdict?.Outcome == VerdictOutcome.Pass;
        _evidence.Evaluated(verdict?.Outcome);
        _consecutivePasses = passed ? _consecutivePasses + 1 : 0;
        if (verdict is not null)
        {
            _faults.Track(now, verdict, outcome.Action, _live.Current.KillSwitch, _timeline.RolledBackAt);
        }
        _driver.Observe(outcome);
        SimulateOperator(now);
    }

    /// <summary>
    /// Stands in for the on-call human after a pause, a manual-review flag or a traffic reduction: once the
    /// detector has passed for the plan's healthy-evaluation count, resume and restore the stage's
    /// percentage — audited as <c>simulated-operator</c>. A full rollback is never undone: re-enabling is a human's decision.
    /// </summary>
    private void SimulateOperator(DateTimeOffset now)
    {
        var c = _guard.Controller;
        var s = _live.Current;
        if (s.KillSwitch || c.State == RollbackState.RolledBack || _driver.Status != RolloutStatus.Running)
        {
            return;
        }
        var stagePct = _driver.Stage.Percent;
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
        _evidence.Note($"{When(now)} {Operator} resumed at {Pct(stagePct)} after {_consecutivePasses} healthy evaluations");
    }

    private void OnSettingsChanged(SettingsChange change)
    {
        if (change.Kind is SettingsChangeKind.Rollback or SettingsChangeKind.StagedRollback or SettingsChangeKind.ReduceTraffic && change.Actor != "rollback-rehearsal")
        {
            _period.AddRollback(change.At);
        }
        _timeline.Changed(change);
        if (_procedure is not null && change.Actor != "rollback-rehearsal" && RollbackProcedure.StepsFor(change).Count > 0)
        {
            // The recording notifier completes at once, so the procedure has run when this returns.
            var sent = _onCall.Sent.Count;
            var steps = _procedure.RunAsync(change).GetAwaiter().GetResult();
            _evidence.Note($"{When(change.At)} rollback procedure after the {WireName.Of(change.Kind)} (v{change.Version}): "
                + string.Join(", then ", steps.Select(s => s.Step.Replace('_', ' ')))
                + $" ({_onCall.Sent.Count - sent} notification{(_onCall.Sent.Count - sent == 1 ? "" : "s")} sent: {string.Join(", ", _onCall.Sent.Skip(sent).Select(n => n.Event))})");
        }
    }

    long IRolloutSignals.DiffsCompared => _routeAudit.DiffsCompared;

    long IRolloutSignals.DiffsChanged => _routeAudit.DiffsChanged;

    double? IRolloutSignals.Over(string metric, TimeSpan period, DateTimeOffset end) => _period.Get(metric, period, end);

    /// <summary>Each interval's share of the requests: flat, or diurnal (busiest mid-afternoon UTC, quietest before dawn, peak/trough ≈ 4).</summary>
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
}
