namespace CanarySim.Service.Api;

/// <summary>
/// OpenAPI shape of one <c>POST /guard/diffs</c> item: a shadow comparison an application made with its
/// own engines (the guard routes but never calls engines), counted into
/// <c>planner_decision_diff_total{agent_v1,agent_v2,changed}</c>.
/// </summary>
/// <param name="AgentV1">The agent v1 chose.</param>
/// <param name="AgentV2">The agent v2 chose.</param>
/// <param name="Changed">Whether any compared dimension differed (the diff's <c>any_change</c>).</param>
/// <param name="Count">How many identical comparisons this item stands for (1–1 000 000, default 1).</param>
public sealed record DiffReportBody(string AgentV1, string AgentV2, bool Changed, long? Count = null);
