namespace CanarySim.Service.Api;

/// <summary>OpenAPI shape of the <c>POST /guard/route</c> answer (the body of the <c>engine_route</c> audit event).</summary>
/// <param name="Selected">v1 or v2.</param>
/// <param name="Reason">default, canary, kill_switch, shadow, cohort, segment_disabled or unkeyed.</param>
/// <param name="Bucket">The key's bucket, or the random draw for unkeyed requests, or null.</param>
/// <param name="CanaryPct">Effective percentage.</param>
/// <param name="KillSwitch">Kill switch in the snapshot used.</param>
/// <param name="Mode">Mode in the snapshot used.</param>
/// <param name="Phase">Phase label.</param>
/// <param name="Unkeyed">No session or user id.</param>
/// <param name="Algorithm">Bucketing algorithm.</param>
public sealed record RouteResponse(string Selected, string Reason, double? Bucket, double CanaryPct, bool KillSwitch, string Mode, string Phase, bool Unkeyed, string Algorithm);
