using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// One observed run of an engine. JSON form (one per line in <c>.jsonl</c>):
/// <c>{"engine":"v2","at":"2026-02-19T10:00:00Z","latency_ms":812,"quality":93.5,"cost_cents":1.9,"error":false,"fallback":false,"policy_violation":false,"complaint":false}</c>
/// with optional <c>"metrics"</c> and <c>"tags"</c> objects. Compare samples by their fields, not
/// with <c>==</c>: the metric and tag maps compare by reference.
/// </summary>
public sealed record Sample
{
    /// <summary>Which engine served the run.</summary>
    public required Engine Engine { get; init; }
    /// <summary>When the run finished.</summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>Latency in milliseconds.</summary>
    public double LatencyMs { get; init; }
    /// <summary>Quality score 0–100.</summary>
    public double Quality { get; init; }
    /// <summary>Cost of the run in cents.</summary>
    public double CostCents { get; init; }
    /// <summary>The run failed.</summary>
    public bool Error { get; init; }
    /// <summary>v2 failed and v1 served instead.</summary>
    public bool Fallback { get; init; }
    /// <summary>A policy or security violation occurred.</summary>
    public bool PolicyViolation { get; init; }
    /// <summary>A user complained about this run.</summary>
    public bool Complaint { get; init; }
    /// <summary>Tokens used.</summary>
    public int Tokens { get; init; }
    /// <summary>Optional tags: agent, scenario, role.</summary>
    public string? Agent { get; init; }
    /// <summary>Optional scenario tag.</summary>
    public string? Scenario { get; init; }
    /// <summary>Optional role tag.</summary>
    public string? Role { get; init; }
    /// <summary>Custom metrics by name (<c>"metrics": {"llm_call": true, "tool_calls": 3}</c>); a bool is 1 or 0. Null when none.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }
    /// <summary>Custom tags by name (<c>"tags": {"region": "eu"}</c>), matched by a check's <c>where</c> beside agent, scenario and role. Null when none.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
