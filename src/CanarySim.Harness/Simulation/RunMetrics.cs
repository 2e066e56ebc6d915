using CanarySim.Core.Detection;
using CanarySim.Core.Rollout;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// The application metrics every simulated run carries (<c>llm_call</c>, <c>anomaly</c>, <c>staff_response_ms</c>, …):
/// each metric the plan describes (<c>traffic.metrics</c>), the policy's checks read or an injection names is on every
/// run of both engines — drawn from the plan's description for that engine, else 0 (false) — and an active metric
/// injection for the run's engine and agent changes it (a share of the runs true, a value, a scaled or
/// shifted value, or one run). <c>tokens</c> is the sample's own field and is changed in place. A plan without
/// such metrics draws nothing extra, so its random streams and outputs stay as they were.
/// </summary>
internal sealed class RunMetrics
{
    private readonly string[] _names;
    private readonly PlanMetric?[][] _baseline; // [engine][name index]: the plan's metric, or null (0 on every run)

    private RunMetrics(string[] names, bool tokens, PlanMetric?[][] baseline)
    {
        _names = names;
        _baseline = baseline;
        Active = names.Length > 0 || tokens;
    }

    /// <summary>Whether any run carries a metric or a tokens injection (false: nothing to draw).</summary>
    public bool Active { get; }

    /// <summary>The metrics on every run, in name order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The metrics the policy's sample checks read and the plan describes (what an injection may name).</summary>
    public static IReadOnlyCollection<string> Known(RolloutPlan plan, DetectorOptions policy)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(policy);
        var names = new SortedSet<string>(plan.Traffic.MetricsOf(plan.Traffic.V1).Keys.Concat(plan.Traffic.MetricsOf(plan.Traffic.V2).Keys), StringComparer.Ordinal);
        foreach (var c in policy.Checks ?? [])
        {
            if (c.Source is null && c.Metric != "*" && !SampleMetrics.Fixed.Contains(c.Metric))
            {
                names.Add(c.Metric);
            }
        }
        return names;
    }

    /// <summary>The metrics of a run of <paramref name="plan"/> under <paramref name="policy"/> with <paramref name="injections"/>.</summary>
    public static RunMetrics From(RolloutPlan plan, DetectorOptions policy, IReadOnlyList<FaultInjection> injections)
    {
        var names = new SortedSet<string>(Known(plan, policy), StringComparer.Ordinal);
        var tokens = false;
        foreach (var f in injections)
        {
            if (f.Kind != FaultKind.Metric)
            {
                continue;
            }
            if (f.Metric == "tokens")
            {
                tokens = true;
            }
            else
            {
                names.Add(f.Metric!);
            }
        }
        string[] all = [.. names];
        var v1 = plan.Traffic.MetricsOf(plan.Traffic.V1);
        var v2 = plan.Traffic.MetricsOf(plan.Traffic.V2);
        PlanMetric?[][] baseline =
        [
            all.Select(n => v1.GetValueOrDefault(n)).ToArray(),
            all.Select(n => v2.GetValueOrDefault(n)).ToArray(),
        ];
        return new RunMetrics(all, tokens, baseline);
    }

    /// <summary>
    /// The metrics of one run of <paramref name="engine"/> for <paramref name="agent"/> (null when none), applying the
    /// engine's active injections in order and, on the first matching run, a single-run injection waiting in
    /// <paramref name="once"/> (removed when used); may change <paramref name="tokens"/>.
    /// </summary>
    public Dictionary<string, double>? Draw(Engine engine, string agent, SimRandom rng, List<FaultInjection> active, List<FaultInjection>? once, ref int tokens)
    {
        if (!Active)
        {
            return null;
        }
        var values = _names.Length == 0 ? null : new Dictionary<string, double>(_names.Length, StringComparer.Ordinal);
        var baseline = _baseline[(int)engine];
        for (var i = 0; i < _names.Length; i++)
        {
            values![_names[i]] = baseline[i] is { } b ? Draw(b, agent, rng) : 0;
        }
        foreach (var f in active)
        {
            if (f.Agent is { } a && a != agent)
            {
                continue;
            }
            if (f.Metric == "tokens")
            {
                tokens = (int)Math.Max(0, Math.Round(Apply(f, tokens, rng)));
            }
            else
            {
                values![f.Metric!] = Apply(f, values[f.Metric!], rng);
            }
        }
        if (once is { Count: > 0 })
        {
            for (var i = 0; i < once.Count; i++)
            {
                var f = once[i];
                if (f.Engine != engine || (f.Agent is { } a && a != agent))
                {
                    continue;
                }
                if (f.Metric == "tokens")
                {
                    tokens = (int)(f.Value ?? 1);
                }
                else
                {
                    values![f.Metric!] = f.Value ?? 1;
                }
                once.RemoveAt(i);
                break;
            }
        }
        return values;
    }

    private static double Draw(PlanMetric b, string agent, SimRandom rng)
    {
        if (b.Agent is { } a && a != agent)
        {
            return 0;
        }
        if (b.Share < 1 && !(rng.NextDouble() < b.Share))
        {
            return 0;
        }
        return b.Sd > 0 ? Math.Max(0, Math.Round(b.Value + b.Sd * rng.NextNormal(), 3)) : b.Value;
    }

    private static double Apply(FaultInjection f, double current, SimRandom rng)
    {
        if (f.Share)
        {
            return rng.NextDouble() < f.Rate ? f.Value ?? 1 : 0;
        }
        return f.Value ?? Math.Round(current * f.Factor + f.Add, 3);
    }
}
