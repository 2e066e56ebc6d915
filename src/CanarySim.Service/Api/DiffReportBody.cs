namespace CanarySim.Service.Api;

/// <summary>
/// One <c>POST /guard/diffs</c> item: a shadow comparison an application made with its own engines (the
/// guard routes but never calls engines), counted into <c>planner_decision_diff_total{agent_v1,agent_v2,changed}</c>.
/// </summary>
public sealed class DiffReportBody
{
    /// <summary>The agent v1 chose (1–100 letters, digits, '_', '-', '.' or ':').</summary>
    public required string AgentV1 { get; init; }

    /// <summary>The agent v2 chose.</summary>
    public required string AgentV2 { get; init; }

    /// <summary>Whether any compared dimension differed.</summary>
    public required bool Changed { get; init; }

    /// <summary>How many identical comparisons this item stands for (1–1 000 000, default 1).</summary>
    public long? Count { get; init; }
}
