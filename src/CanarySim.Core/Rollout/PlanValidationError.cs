namespace CanarySim.Core.Rollout;

/// <summary>One problem in a plan file: where (file, line, field path) and what was expected.</summary>
/// <param name="Source">The plan file (or <c>&lt;plan&gt;</c> when built in code).</param>
/// <param name="Line">1-based line, 0 when unknown.</param>
/// <param name="Path">Field path, e.g. <c>stages[2].percent</c>.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record PlanValidationError(string Source, int Line, string Path, string Message)
{
    /// <summary><c>file:line: path: message</c>.</summary>
    public override string ToString() =>
        $"{(Source.Length == 0 ? "<plan>" : Source)}{(Line > 0 ? $":{Line}" : "")}: {(Path.Length == 0 ? "" : Path + ": ")}{Message}";
}
