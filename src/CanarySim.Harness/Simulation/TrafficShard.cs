using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// One share of an evaluation interval's requests. Each shard draws from its own seeded random stream
/// and routes with its own real <see cref="CanaryRouter"/> over the run's shared <see cref="LiveSettings"/>
/// (which only change between intervals), so the shards of an interval can run on different cores and
/// still give the same result on every machine: the split never depends on the core count. A shard only
/// collects: its samples, the period-statistics entries and the counters are replayed into the run by
/// <see cref="SimulationRun"/>, shard by shard in request order, once the interval's requests are drawn.
/// </summary>
internal sealed class TrafficShard
{
    private readonly RolloutPlan _plan;
    private readonly SimulationOptions _options;
    private readonly LiveSettings _live;
    private readonly string[] _agents;
    private readonly string[] _sessions;
    private readonly SyntheticEngines _engines;
    private readonly WireMockEngines? _wire;
    private readonly SimRandom _rng;
    private readonly CanaryRouter _router;
    private readonly EngineBaseline _v1;
    private readonly EngineBaseline _v2;
    private readonly double _unkeyedShare;
    private readonly double _diffSampleRate;
    private readonly double _divergence;
    private readonly RunMetrics _metrics;
    private readonly List<FaultInjection>[] _activeMetrics;

    public TrafficShard(RolloutPlan plan, SimulationOptions options, LiveSettings live, string[] agents, string[] sessions, SyntheticEngines engines,
        WireMockEngines? wire, SimRandom rng, CanaryRouter router, RunMetrics metrics, List<FaultInjection>[] activeMetrics)
    {
        _metrics = metrics;
        _activeMetrics = activeMetrics;
        _plan = plan;
        _options = options;
        _live = live;
        _agents = agents;
        _sessions = sessions;
        _engines = engines;
        _wire = wire;
        _rng = rng;
        _router = router;
        _v1 = plan.Traffic.V1;
        _v2 = plan.Traffic.V2;
        _unkeyedShare = plan.Traffic.UnkeyedShare;
        _diffSampleRate = plan.Progression.DiffSampleRate;
        _divergence = plan.Traffic.V2.Divergence;
    }

    /// <summary>What happened, in request order: a v1 run, a v2 run or a decision diff.</summary>
    public enum EntryKind : byte
    {
        V1,
        V2,
        Diff,
    }

    /// <summary>One period-statistics entry to replay.</summary>
    public readonly record struct Entry(EntryKind Kind, DateTimeOffset At, double Quality, double Cost, int Bin, bool Error, bool Fallback, bool Violation, bool Complaint, DecisionDiff? Diff);

    // ---- outputs of the current interval (cleared by the run after replaying them)
    public List<Sample> Samples { get; } = [];
    public List<Entry> Entries { get; } = [];
    public long[,] RouteCounts { get; } = new long[2, RouteReasons.Count];
    public long Served { get; set; }
    public long V2Served { get; set; }
    public long Fallbacks { get; set; }
    public long V2Runs { get; set; }
    public long V2Fallbacks { get; set; }

    /// <summary>Shadow v2 runs that failed.</summary>
    public long V2ShadowFailures { get; set; }

    /// <summary>v2 runs (served or shadowed) that failed by timing out.</summary>
    public long V2Timeouts { get; set; }

    /// <summary>v2 runs that count as v2 traffic in the evidence (served by v2, or shadowed on v2).</summary>
    public long V2Traffic { get; set; }

    // ---- single events handed to this shard for the interval; what is left is handed back
    public bool PolicyOncePending { get; set; }
    public double ComplaintBudget { get; set; }

    /// <summary>Single-run metric injections waiting for a matching run (only the shard that was handed them).</summary>
    public List<FaultInjection>? MetricOnce { get; set; }

    /// <summary>Requests routed to v2 whose run never completed (stalled pipeline).</summary>
    public long V2Stalled { get; set; }

    /// <summary>Draws requests <paramref name="from"/>..<paramref name="to"/> (exclusive) of an interval of <paramref name="count"/> requests.</summary>
    public void Run(int from, int to, int count, DateTimeOffset tickStart, long tickTicks, FaultModifiers[] m)
    {
        for (var j = from; j < to; j++)
        {
            var at = tickStart + TimeSpan.FromTicks((long)((j + 0.5) * tickTicks / count));
            Serve(at, m);
            if (_wire?.Complete() is { } httpDiff)
            {
                Entries.Add(new Entry(EntryKind.Diff, at, 0, 0, 0, false, false, false, false, httpDiff));
            }
        }
    }

    private void Serve(DateTimeOffset at, FaultModifiers[] m)
    {
        var agentIndex = _rng.Next(_agents.Length);
        var agent = _agents[agentIndex];
        RouteRequest request;
        if (_unkeyedShare > 0 && _rng.NextDouble() < _unkeyedShare)
        {
            request = new RouteRequest(null, null, agent);
        }
        else
        {
            request = new RouteRequest(_sessions[_rng.Next(_sessions.Length)], null, agent);
        }
        var decision = _router.Route(request);
        _wire?.Begin(request, decision, agentIndex);
        Served++;
        RouteCounts[(int)decision.Selected, (int)decision.Reason]++;

        var path = decision.Path;
        if (path == ExecutionPath.V1)
        {
            Record(Engine.V1, at, m[0], agent, served: true, out _);
            // Canary mode diffs a sample of the requests v1 serves, as if v2 had shadowed them; never under the kill
            // switch, which keeps every request away from v2.
            if (_live.Current.Mode == RouterMode.Canary && decision.Reason != RouteReason.KillSwitch && _diffSampleRate > 0 && _rng.NextDouble() < _diffSampleRate)
            {
                Diff(agentIndex, at);
            }
            return;
        }
        if (path == ExecutionPath.V1WithShadow)
        {
            Record(Engine.V1, at, m[0], agent, served: true, out _); // v1 answers while the shadow runs
        }
        bool v2Failed;
        if (m[1].Stall)
        {
            // v2 never completes: no v2 run reaches the metrics; a served request is answered by v1 after the budget
            V2Stalled++;
            v2Failed = true;
        }
        else
        {
            Record(Engine.V2, at, m[1], agent, served: path == ExecutionPath.V2WithFallback, out v2Failed);
        }
        // What happens next is the executor's rule (Core's ExecutionOutcome), not the simulator's.
        var outcome = ExecutionOutcome.Resolve(path, v2Failed);
        if (outcome.Fallback)
        {
            Fallbacks++;
            Record(Engine.V1, at, m[0], agent, served: true, out _);
        }
        else if (outcome.ServedBy == Engine.V2)
        {
            V2Served++;
            if (_diffSampleRate > 0 && _rng.NextDouble() < _diffSampleRate)
            {
                Diff(agentIndex, at);
            }
        }
        else if (!outcome.ShadowFailed)
        {
            Diff(agentIndex, at); // the shadow answered: its decision is diffed
        }
    }

    private void Diff(int agentIndex, DateTimeOffset at)
    {
        var diverges = _rng.NextDouble() < _divergence;
        if (_wire is not null)
        {
            _wire.ExpectDiff(diverges); // the diff of the engines' real answers arrives from Complete()
            return;
        }
        Entries.Add(new Entry(EntryKind.Diff, at, 0, 0, 0, false, false, false, false, _engines.Compare(agentIndex, diverges)));
    }

    /// <summary>Draws one run of <paramref name="engine"/> and records its sample and its period entry.</summary>
    public void Record(Engine engine, DateTimeOffset at, in FaultModifiers m, string agent, bool served, out bool failed)
    {
        var b = engine == Engine.V1 ? _v1 : _v2;
        var latency = Math.Max(1, b.LatencyP50Ms * Math.Exp(b.LatencySigma * _rng.NextNormal()) * m.LatencyFactor + m.LatencyAdd);
        var quality = Math.Clamp(b.Quality + b.QualitySd * _rng.NextNormal() + m.QualityAdd, 0, 100);
        var cost = Math.Max(0, b.CostCents * (1 + 0.15 * _rng.NextNormal()) * m.CostFactor + m.CostAdd);
        var u = _rng.NextDouble();
        var error = u < b.ErrorRate + m.Errors;
        var timeout = !error && m.Timeouts > 0 && _rng.NextDouble() < m.Timeouts;
        if (timeout)
        {
            latency = _options.TimeoutLatencyMs;
        }
        var invalid = engine == Engine.V2 && !error && !timeout && m.InvalidOutput > 0 && _rng.NextDouble() < m.InvalidOutput;
        var violation = _rng.NextDouble() < b.PolicyViolationRate + m.Violations;
        var complaint = _rng.NextDouble() < b.ComplaintRate;
        if (engine == Engine.V2)
        {
            if (PolicyOncePending)
            {
                violation = true;
                PolicyOncePending = false;
            }
            if (ComplaintBudget >= 1)
            {
                complaint = true;
                ComplaintBudget -= 1;
            }
        }
        failed = error || timeout || invalid;
        _wire?.Expect(engine, error, timeout, invalid);
        var fallback = engine == Engine.V2 && served && failed;
        var tokens = (int)(b.Tokens * (0.5 + _rng.NextDouble()));
        var metrics = _metrics.Active ? _metrics.Draw(engine, agent, _rng, _activeMetrics[(int)engine], MetricOnce, ref tokens) : null;
        Samples.Add(new Sample
        {
            Engine = engine,
            At = at,
            LatencyMs = Math.Round(latency, 1),
            Quality = Math.Round(quality, 2),
            CostCents = Math.Round(cost, 3),
            Error = error || timeout,
            Fallback = fallback,
            PolicyViolation = violation,
            Complaint = complaint,
            Tokens = tokens,
            Agent = agent,
            Metrics = metrics,
        });
        if (engine == Engine.V1)
        {
            Entries.Add(new Entry(EntryKind.V1, at, quality, 0, 0, false, false, false, false, null));
            return;
        }
        Entries.Add(new Entry(EntryKind.V2, at, quality, cost, LatencyHistogram.BinOf(latency), error || timeout, fallback, violation, complaint, null));
        V2Runs++;
        if (fallback)
        {
            V2Fallbacks++;
        }
        else if (failed)
        {
            V2ShadowFailures++;
        }
        if (timeout)
        {
            V2Timeouts++;
        }
        if (!served || !failed)
        {
            V2Traffic++; // served by v2, or shadowed on v2
        }
    }

    /// <summary>Forgets the interval's outputs (after the run replayed them).</summary>
    public void Clear()
    {
        Samples.Clear();
        Entries.Clear();
        Array.Clear(RouteCounts);
        Served = V2Served = Fallbacks = V2Runs = V2Fallbacks = V2ShadowFailures = V2Timeouts = V2Traffic = V2Stalled = 0;
    }
}
