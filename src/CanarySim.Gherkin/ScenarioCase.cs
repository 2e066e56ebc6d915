namespace CanarySim.Gherkin;

/// <summary>One runnable scenario: a plain scenario or one row of a Scenario Outline.</summary>
/// <param name="FeatureName">The feature's title.</param>
/// <param name="Name">The scenario title (outline placeholders substituted).</param>
/// <param name="Row">The outline row's values joined by <c>, </c>; null for a plain scenario.</param>
/// <param name="FilePath">Path of the feature file as shown to users (relative to the repository when known).</param>
/// <param name="Line">Line of the scenario (or of the outline row).</param>
/// <param name="Tags">Tags without <c>@</c>, feature tags included.</param>
/// <param name="Steps">Background steps followed by the scenario's steps.</param>
public sealed record ScenarioCase(
    string FeatureName,
    string Name,
    string? Row,
    string FilePath,
    int Line,
    IReadOnlyList<string> Tags,
    IReadOnlyList<ScenarioStep> Steps)
{
    /// <summary>The test name: <c>Feature: Scenario [row]</c>.</summary>
    public string DisplayName => Row is null ? $"{FeatureName}: {Name}" : $"{FeatureName}: {Name} [{Row}]";

    /// <summary><c>file:line</c> of the scenario.</summary>
    public string Location => $"{FilePath}:{Line}";

    /// <summary>Whether the scenario carries <paramref name="tag"/> (with or without <c>@</c>, case-insensitive).</summary>
    public bool HasTag(string tag) => Tags.Contains(tag.TrimStart('@'), StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override string ToString() => DisplayName;
}
