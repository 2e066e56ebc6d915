namespace CanarySim.Core.Routing;

/// <summary>
/// The decision diff between v1's and v2's answers over configurable dimensions, each
/// with a <c>*_changed</c> flag, plus <c>any_change</c>.
/// </summary>
public sealed record DecisionDiff
{
    /// <summary>Per compared dimension (in the configured order): whether it changed.</summary>
    public required IReadOnlyDictionary<string, bool> Changed { get; init; }

    /// <summary>Agent v1 chose (empty when none).</summary>
    public required string AgentV1 { get; init; }

    /// <summary>Agent v2 chose (empty when none).</summary>
    public required string AgentV2 { get; init; }

    /// <summary>True when any compared dimension changed.</summary>
    public bool AnyChange { get; init; }

    /// <summary><c>agent_changed</c> (false when not compared).</summary>
    public bool AgentChanged => Changed.TryGetValue("agent", out var c) && c;

    /// <summary><c>steps_changed</c> (false when not compared).</summary>
    public bool StepsChanged => Changed.TryGetValue("steps", out var c) && c;

    /// <summary><c>tools_changed</c> (false when not compared).</summary>
    public bool ToolsChanged => Changed.TryGetValue("tools", out var c) && c;

    /// <summary><c>dry_run_changed</c> (false when not compared).</summary>
    public bool DryRunChanged => Changed.TryGetValue("dry_run", out var c) && c;

    /// <summary>
    /// Compares two answers. Built-in dimensions: <c>agent</c> (ordinal), <c>steps</c> (ordered
    /// sequence), <c>tools</c> (set: order and duplicates ignored), <c>dry_run</c>; any other name is
    /// looked up in <see cref="EngineResponse.Dimensions"/> (a missing value differs from a present one).
    /// </summary>
    public static DecisionDiff Compare(EngineResponse v1, EngineResponse v2, IReadOnlyList<string>? dimensions = null)
    {
        ArgumentNullException.ThrowIfNull(v1);
        ArgumentNullException.ThrowIfNull(v2);
        dimensions ??= RouterOptions.DefaultDiffDimensions;
        var changed = new Dictionary<string, bool>(dimensions.Count, StringComparer.Ordinal);
        var any = false;
        foreach (var dimension in dimensions)
        {
            var c = dimension switch
            {
                "agent" => !string.Equals(v1.Agent, v2.Agent, StringComparison.Ordinal),
                "steps" => !v1.Steps.SequenceEqual(v2.Steps, StringComparer.Ordinal),
                "tools" => !new HashSet<string>(v1.Tools, StringComparer.Ordinal).SetEquals(v2.Tools),
                "dry_run" => v1.DryRun != v2.DryRun,
                _ => !(v1.Dimensions.TryGetValue(dimension, out var a) == v2.Dimensions.TryGetValue(dimension, out var b)
                       && string.Equals(a, b, StringComparison.Ordinal)),
            };
            changed[dimension] = c;
            any |= c;
        }
        return new DecisionDiff { Changed = changed, AnyChange = any, AgentV1 = v1.Agent ?? "", AgentV2 = v2.Agent ?? "" };
    }

    /// <summary>The flags as snake_case fields: <c>{dimension}_changed</c> for each, then <c>any_change</c>.</summary>
    public IReadOnlyDictionary<string, bool> ToFlags()
    {
        var flags = new Dictionary<string, bool>(Changed.Count + 1, StringComparer.Ordinal);
        foreach (var (k, v) in Changed)
        {
            flags[k + "_changed"] = v;
        }
        flags["any_change"] = AnyChange;
        return flags;
    }
}
