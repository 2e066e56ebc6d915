using CanarySim.Core;
using CanarySim.Core.Detection;
using CanarySim.Core.Reporting;
using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// The faults of a run (the plan's <c>inject</c> list and the caller's), in time order: which are active in
/// an interval and what they do to each engine, the single events (one policy violation, a budget of
/// complaints) waiting to be drawn, and, per fault, when the detector first breached and when the rollout
/// rolled back while it was active.
/// </summary>
internal sealed class FaultSchedule
{
    private readonly RolloutPlan _plan;
    private readonly HashSet<int> _onceFired = [];
    private readonly (DateTimeOffset? FirstBreach, List<string> Checks, DateTimeOffset? Rollback, VerdictAction Action)[] _state;

    public FaultSchedule(RolloutPlan plan, IEnumerable<FaultInjection> extra)
    {
        _plan = plan;
        Injections = FaultInjectionParser.ParseAll(plan.Inject, plan.Start).Concat(extra).OrderBy(i => i.At).ToList();
        _state = Injections.Select(_ => ((DateTimeOffset?)null, new List<string>(), (DateTimeOffset?)null, VerdictAction.None)).ToArray();
    }

    /// <summary>Every fault, in time order.</summary>
    public IReadOnlyList<FaultInjection> Injections { get; }

    /// <summary>A single policy violation waits to be drawn on the next v2 run.</summary>
    public bool PolicyOncePending { get; set; }

    /// <summary>Complaints owed: each whole one is drawn on a v2 run.</summary>
    public double ComplaintBudget { get; set; }

    /// <summary>Single-run metric injections waiting for their first matching run (handed to one shard per interval).</summary>
    public List<FaultInjection> MetricOncePending { get; } = [];

    /// <summary>Per engine (v1, v2): the metric injections active in the current interval, in time order.</summary>
    public List<FaultInjection>[] ActiveMetrics { get; } = [[], []];

    /// <summary>
    /// Combines the faults active during the interval starting at <paramref name="offset"/> per engine into
    /// <paramref name="m"/> (v1, v2); returns whether the metrics endpoint refuses auth.
    /// </summary>
    public bool Apply(TimeSpan offset, TimeSpan interval, FaultModifiers[] m)
    {
        var blocked = false;
        for (var e = 0; e < 2; e++)
        {
            double lf = 1, la = 0, cf = 1, ca = 0, qa = 0, err = 0, to = 0, inv = 0, viol = 0;
            var stall = false;
            ActiveMetrics[e].Clear();
            for (var i = 0; i < Injections.Count; i++)
            {
                var f = Injections[i];
                if (f.Once)
                {
                    // A single event: it fires in the interval that contains its time, once.
                    if (e == (int)f.Engine && offset <= f.At && f.At < offset + interval && _onceFired.Add(i))
                    {
                        if (f.Kind == FaultKind.Metric)
                        {
                            MetricOncePending.Add(f);
                        }
                        else
                        {
                            PolicyOncePending = true;
                        }
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
                        ComplaintBudget += f.Rate * interval.TotalHours;
                    }
                    continue;
                }
                if ((int)f.Engine != e)
                {
                    continue;
                }
                switch (f.Kind)
                {
                    case FaultKind.Latency: lf *= f.Factor; la += f.Add; break;
                    case FaultKind.Cost: cf *= f.Factor; ca += f.Add; break;
                    case FaultKind.Quality: qa += f.Add; break;
                    case FaultKind.Errors: err = Math.Max(err, f.Rate); break;
                    case FaultKind.Timeouts: to = Math.Max(to, f.Rate); break;
                    case FaultKind.Fallbacks: inv = Math.Max(inv, f.Rate); break;
                    case FaultKind.PolicyViolations: viol = Math.Max(viol, f.Rate); break;
                    case FaultKind.Metric: ActiveMetrics[e].Add(f); break;
                    case FaultKind.Stall: stall = true; break;
                }
            }
            m[e] = new FaultModifiers
            {
                LatencyFactor = lf, LatencyAdd = la, CostFactor = cf, CostAdd = ca, QualityAdd = qa,
                Errors = err, Timeouts = to, InvalidOutput = inv, Violations = viol, Stall = stall,
            };
        }
        return blocked;
    }

    /// <summary>The faults active at some point of the evidence window ending at <paramref name="windowEnd"/>.</summary>
    public IEnumerable<FaultInjection> OverlappingWindow(DateTimeOffset windowEnd)
    {
        var wStart = windowEnd - _plan.EvidenceWindow;
        foreach (var f in Injections)
        {
            var fStart = _plan.Start + f.At;
            var fEnd = f.For is { } d ? fStart + d : DateTimeOffset.MaxValue;
            if (fStart < windowEnd && fEnd > wStart)
            {
                yield return f;
            }
        }
    }

    /// <summary>Attributes an evaluation to the faults active then (or within the hour after, while the window still holds their runs).</summary>
    public void Track(DateTimeOffset now, Verdict verdict, VerdictAction taken, bool killSwitch, DateTimeOffset? rolledBackAt)
    {
        for (var i = 0; i < Injections.Count; i++)
        {
            var f = Injections[i];
            var startAt = _plan.Start + f.At;
            if (now < startAt)
            {
                continue;
            }
            var endAt = f.For is { } d ? startAt + d : (DateTimeOffset?)null;
            var st = _state[i];
            if (st.Rollback is not null)
            {
                continue;
            }
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
            if (killSwitch)
            {
                st.Rollback = rolledBackAt ?? now;
            }
            _state[i] = st;
        }
    }

    /// <summary>Per fault: when it ran, the first breach, the checks that breached, the rollback and the strongest action taken.</summary>
    public List<InjectionOutcome> Outcomes() => Injections.Select((f, i) => new InjectionOutcome(f.Text, _plan.Start + f.At, f.For is { } d ? _plan.Start + f.At + d : null,
        _state[i].FirstBreach, _state[i].Checks.Distinct().ToList(), _state[i].Rollback, WireName.Of(_state[i].Action))).ToList();
}
