namespace CanarySim.Service.Api;

/// <summary>OpenAPI shape of one sample (SPEC §2); unknown fields are rejected, <c>at</c> defaults to the service clock.</summary>
/// <param name="Engine">v1 or v2.</param>
/// <param name="At">ISO 8601 timestamp.</param>
/// <param name="LatencyMs">Latency in ms.</param>
/// <param name="Quality">0–100.</param>
/// <param name="CostCents">Cost in cents.</param>
/// <param name="Error">The run failed.</param>
/// <param name="Fallback">v2 failed, v1 served.</param>
/// <param name="PolicyViolation">Policy or security violation.</param>
/// <param name="Complaint">A user complained.</param>
/// <param name="Tokens">Tokens used.</param>
/// <param name="Agent">Agent tag.</param>
/// <param name="Scenario">Scenario tag.</param>
/// <param name="Role">Role tag.</param>
public sealed record SampleBody(string Engine, DateTimeOffset? At, double LatencyMs, double Quality, double CostCents,
    bool Error, bool Fallback, bool PolicyViolation, bool Complaint, int Tokens, string? Agent, string? Scenario, string? Role);
