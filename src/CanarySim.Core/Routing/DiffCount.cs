namespace CanarySim.Core.Routing;

/// <summary>One <c>planner_decision_diff_total{agent_v1,agent_v2,changed}</c> series.</summary>
/// <param name="AgentV1">Agent v1 chose (empty when none).</param>
/// <param name="AgentV2">Agent v2 chose (empty when none).</param>
/// <param name="Changed">Whether any compared dimension differed.</param>
/// <param name="Count">Comparisons counted.</param>
public sealed record DiffCount(string AgentV1, string AgentV2, bool Changed, long Count);
