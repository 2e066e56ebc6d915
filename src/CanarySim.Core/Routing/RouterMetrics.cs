using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CanarySim.Core.Routing;

/// <summary>
/// Router counters, thread-safe: <c>planner_selection_total{planner,reason}</c>,
/// <c>planner_decision_diff_total{agent_v1,agent_v2,changed}</c>, <c>fallback_total</c> and
/// <c>shadow_failure_total</c>. <see cref="Snapshot"/> gives a consistent-enough copy for a
/// Prometheus text renderer; recording a selection is one interlocked increment.
/// </summary>
public sealed class RouterMetrics
{
    private readonly long[] _selections = new long[2 * RouteReasons.Count];
    private readonly ConcurrentDictionary<(string AgentV1, string AgentV2, bool Changed), StrongBox<long>> _diffs = new();
    private long _fallbacks;
    private long _shadowFailures;

    /// <summary>Counts one route decision.</summary>
    public void RecordSelection(Engine planner, RouteReason reason) =>
        Interlocked.Increment(ref _selections[((int)planner * RouteReasons.Count) + (int)reason]);

    /// <summary>Counts one shadow comparison (agent labels are empty strings when the answers named none).</summary>
    public void RecordDiff(string? agentV1, string? agentV2, bool changed) => RecordDiff(agentV1, agentV2, changed, 1);

    /// <summary>Counts <paramref name="count"/> identical decision diffs (a pre-aggregated report).</summary>
    public void RecordDiff(string? agentV1, string? agentV2, bool changed, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var box = _diffs.GetOrAdd((agentV1 ?? "", agentV2 ?? "", changed), static _ => new StrongBox<long>());
        Interlocked.Add(ref box.Value, count);
    }

    /// <summary>Counts one fallback (v2 selected, failed, v1 served).</summary>
    public void RecordFallback() => Interlocked.Increment(ref _fallbacks);

    /// <summary>Counts one failed or timed-out shadow run.</summary>
    public void RecordShadowFailure() => Interlocked.Increment(ref _shadowFailures);

    /// <summary>Count of decisions for (planner, reason).</summary>
    public long Selections(Engine planner, RouteReason reason) =>
        Interlocked.Read(ref _selections[((int)planner * RouteReasons.Count) + (int)reason]);

    /// <summary>Number of fallbacks so far.</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    /// <summary>Number of shadow failures so far.</summary>
    public long ShadowFailures => Interlocked.Read(ref _shadowFailures);

    /// <summary>A copy of every counter (selections with a zero count included, so series exist from the start), ordered stably.</summary>
    public RouterMetricsSnapshot Snapshot()
    {
        var selections = new List<SelectionCount>(_selections.Length);
        foreach (var planner in new[] { Engine.V1, Engine.V2 })
        {
            for (var r = 0; r < RouteReasons.Count; r++)
            {
                selections.Add(new SelectionCount(planner, (RouteReason)r, Selections(planner, (RouteReason)r)));
            }
        }
        var diffs = new List<DiffCount>();
        foreach (var (k, box) in _diffs)
        {
            diffs.Add(new DiffCount(k.AgentV1, k.AgentV2, k.Changed, Interlocked.Read(ref box.Value)));
        }
        diffs.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.AgentV1, b.AgentV1);
            if (c == 0) { c = string.CompareOrdinal(a.AgentV2, b.AgentV2); }
            return c != 0 ? c : a.Changed.CompareTo(b.Changed);
        });
        return new RouterMetricsSnapshot(selections, diffs, Fallbacks, ShadowFailures);
    }
}
