namespace CanarySim.Core.Detection;

/// <summary>A policy file that cannot be used; the message names the file, the field and what was expected.</summary>
public sealed class PolicyException(string source, string? field, string problem)
    : Exception($"{source}: {(field is null ? "" : $"field '{field}': ")}{problem}")
{
    /// <summary>The policy file (or stream) name.</summary>
    public string PolicySource { get; } = source;
    /// <summary>The offending field path (e.g. <c>judge.metrics[0].name</c>), when one is to blame.</summary>
    public string? Field { get; } = field;
    /// <summary>What was wrong and what was expected.</summary>
    public string Problem { get; } = problem;
}
