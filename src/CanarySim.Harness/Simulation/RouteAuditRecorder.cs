using System.Runtime.InteropServices;
using CanarySim.Core;
using CanarySim.Core.Audit;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// Hourly audit aggregates: route events counted per (engine, reason) and decision diffs per (agents, change),
/// written at the end of each hour with the settings then in force; also the run's total of diffs compared.
/// </summary>
internal sealed class RouteAuditRecorder(SimulationAuditLog audit, bool write = true)
{
    private readonly long[,] _routeCounts = new long[2, RouteReasons.Count];
    // Counted per diff instance (the in-process engines reuse one per agent pair: no string hashing per request), grouped by content at each flush.
    private readonly Dictionary<DecisionDiff, long> _diffCounts = new(ReferenceEqualityComparer.Instance);

    /// <summary>Decisions compared so far.</summary>
    public long DiffsCompared { get; private set; }

    /// <summary>Of those, how many differed in agent.</summary>
    public long DiffsChanged { get; private set; }

    public void AddRoutes(long[,] counts)
    {
        for (var e = 0; e < 2; e++)
        {
            for (var r = 0; r < RouteReasons.Count; r++)
            {
                _routeCounts[e, r] += counts[e, r];
            }
        }
    }

    public void AddDiff(DecisionDiff diff)
    {
        DiffsCompared++;
        if (diff.AgentChanged)
        {
            DiffsChanged++;
        }
        CollectionsMarshal.GetValueRefOrAddDefault(_diffCounts, diff, out _)++;
    }

    public void Flush(DateTimeOffset now, RouterSettings s)
    {
        if (!write)
        {
            Array.Clear(_routeCounts);
            _diffCounts.Clear();
            return;
        }
        for (var e = 0; e < 2; e++)
        {
            for (var r = 0; r < RouteReasons.Count; r++)
            {
                var n = _routeCounts[e, r];
                if (n == 0)
                {
                    continue;
                }
                _routeCounts[e, r] = 0;
                audit.AppendAggregate(new AuditEvent(now, RouteEventJson.EventType, SimulationAuditLog.Json(w =>
                {
                    w.WriteString("selected", WireName.Of((Engine)e));
                    w.WriteString("reason", WireName.Of((RouteReason)r));
                    w.WriteNumber("count", n);
                    w.WriteNumber("canary_pct", s.CanaryPct);
                    w.WriteBoolean("kill_switch", s.KillSwitch);
                    w.WriteString("mode", WireName.Of(s.Mode));
                    w.WriteString("phase", s.Phase);
                    w.WriteString("period", "1h");
                })));
            }
        }
        var grouped = _diffCounts.GroupBy(kv => (kv.Key.AgentV1, kv.Key.AgentV2, kv.Key.AgentChanged, kv.Key.AnyChange), kv => kv.Value)
            .Select(g => new KeyValuePair<(string, string, bool, bool), long>(g.Key, g.Sum()));
        foreach (var ((a1, a2, agentChanged, any), n) in grouped.OrderBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item3).ThenBy(kv => kv.Key.Item4))
        {
            audit.AppendAggregate(new AuditEvent(now, "decision_diff", SimulationAuditLog.Json(w =>
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
}
