using System.Text.Json;

namespace CanarySim.Service.Api;

/// <summary>One sample in <c>POST /guard/samples</c> (the sample format of the <c>.jsonl</c> files; <c>at</c> defaults to the service clock).</summary>
public sealed class SampleBody
{
    /// <summary>Exactly <c>v1</c> or <c>v2</c>.</summary>
    public required string Engine { get; init; }

    /// <summary>ISO 8601 time the run finished (e.g. <c>2026-02-19T10:00:00Z</c>; no offset means UTC); at most 5 minutes ahead of the service clock.</summary>
    public string? At { get; init; }

    /// <summary>Latency in ms (≥ 0).</summary>
    public required double LatencyMs { get; init; }

    /// <summary>Quality 0–100.</summary>
    public required double Quality { get; init; }

    /// <summary>Cost in cents (≥ 0).</summary>
    public required double CostCents { get; init; }

    /// <summary>The run failed.</summary>
    public bool Error { get; init; }

    /// <summary>v2 failed, v1 served.</summary>
    public bool Fallback { get; init; }

    /// <summary>Policy or security violation.</summary>
    public bool PolicyViolation { get; init; }

    /// <summary>A user complained.</summary>
    public bool Complaint { get; init; }

    /// <summary>Tokens used (≥ 0).</summary>
    public int Tokens { get; init; }

    /// <summary>Agent tag.</summary>
    public string? Agent { get; init; }

    /// <summary>Scenario tag.</summary>
    public string? Scenario { get; init; }

    /// <summary>Role tag.</summary>
    public string? Role { get; init; }

    /// <summary>Further metrics by name: a number, or true/false (counted as 1/0); e.g. <c>{"llm_call": true, "steps": 4}</c>.</summary>
    public Dictionary<string, JsonElement>? Metrics { get; init; }

    /// <summary>Further tags by name: strings, e.g. <c>{"region": "eu"}</c>.</summary>
    public Dictionary<string, string>? Tags { get; init; }
}
