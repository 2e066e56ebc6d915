namespace CanarySim.Core.Gating;

/// <summary>A case named in a defect or diff: id, role, the input it came from and why it is named.</summary>
/// <param name="CaseId">Scenario id, e.g. <c>WR-02</c>.</param>
/// <param name="Role"><c>ai.reader</c> or <c>ai.operator</c>.</param>
/// <param name="Input">Artifact the result came from (empty when the result is missing).</param>
/// <param name="Reason">Why it is named, e.g. <c>latency 7200 ms &gt; 5000 ms</c>.</param>
public sealed record GateCaseRef(string CaseId, string Role, string Input, string Reason);
