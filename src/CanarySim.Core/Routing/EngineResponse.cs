namespace CanarySim.Core.Routing;

/// <summary>
/// An engine's answer: the raw body plus the decision dimensions the shadow diff compares
/// (by default: agent, steps, tools, dry_run).
/// </summary>
public sealed record EngineResponse
{
    /// <summary>Which engine produced it.</summary>
    public required Engine Engine { get; init; }
    /// <summary>The raw answer (JSON text for HTTP engines).</summary>
    public string Body { get; init; } = "";
    /// <summary>The agent the engine chose, if the answer names one.</summary>
    public string? Agent { get; init; }
    /// <summary>The planned steps, in order.</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];
    /// <summary>The tools the plan uses.</summary>
    public IReadOnlyList<string> Tools { get; init; } = [];
    /// <summary>Whether the plan is a dry run.</summary>
    public bool DryRun { get; init; }
    /// <summary>Further named dimensions for configurable diffs (e.g. <c>next_slot</c>).</summary>
    public IReadOnlyDictionary<string, string> Dimensions { get; init; } = new Dictionary<string, string>();
}
