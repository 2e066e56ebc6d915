using System.ComponentModel.DataAnnotations;

namespace CanarySim.Core.Rollout;

/// <summary>The synthetic traffic a plan is simulated against. Every default lives here.</summary>
public sealed record PlanTraffic
{
    /// <summary>Requests over the whole plan duration. The default value is 1 000 000.</summary>
    [Range(1, 1_000_000_000)]
    public long Requests { get; init; } = 1_000_000;

    /// <summary>Traffic profile: <c>steady</c> (flat) or <c>diurnal</c> (day/night wave). The default value is <c>diurnal</c>.</summary>
    public string Profile { get; init; } = "diurnal";

    /// <summary>Distinct sessions (bucketing keys). The default value is 50 000.</summary>
    [Range(1, 10_000_000)]
    public int Sessions { get; init; } = 50_000;

    /// <summary>Share of requests with neither session nor user id (routed as <c>unkeyed</c>). The default value is 0.</summary>
    [Range(0.0, 1.0)]
    public double UnkeyedShare { get; init; }

    /// <summary>Agent types requests are spread over (segments; the decision diff compares the chosen agent).</summary>
    public IReadOnlyList<string> Agents { get; init; } = ["inbox_triage", "knowledge_update", "calendar_planner", "expense_review"];

    /// <summary>Application metrics every run of both engines reports, by name (see <see cref="PlanMetric"/>). The default value is none.</summary>
    public IReadOnlyDictionary<string, PlanMetric> Metrics { get; init; } = new Dictionary<string, PlanMetric>();

    /// <summary>The metrics one engine's runs report: <see cref="Metrics"/> overridden by name by the engine's own.</summary>
    public IReadOnlyDictionary<string, PlanMetric> MetricsOf(EngineBaseline engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var all = new SortedDictionary<string, PlanMetric>(StringComparer.Ordinal);
        foreach (var (name, m) in Metrics)
        {
            all[name] = m;
        }
        foreach (var (name, m) in engine.Metrics)
        {
            all[name] = m;
        }
        return all;
    }

    /// <summary>The v1 engine's behaviour.</summary>
    public EngineBaseline V1 { get; init; } = new();

    /// <summary>The v2 engine's behaviour (defaults: slightly faster, same quality, slightly dearer).</summary>
    public EngineBaseline V2 { get; init; } = new() { LatencyP50Ms = 650, Quality = 94.5, CostCents = 1.9 };
}
