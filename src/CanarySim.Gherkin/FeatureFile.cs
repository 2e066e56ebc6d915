namespace CanarySim.Gherkin;

/// <summary>A loaded feature file: its scenarios, or the reason it could not be parsed.</summary>
/// <param name="FilePath">Path as shown to users.</param>
/// <param name="Name">Feature title (the file name when the file did not parse).</param>
/// <param name="Description">Free text under the feature title.</param>
/// <param name="Scenarios">Compiled scenarios (empty when <see cref="ParseError"/> is set).</param>
/// <param name="ParseError"><c>file:line:column: message</c> when the file does not parse.</param>
public sealed record FeatureFile(string FilePath, string Name, string? Description, IReadOnlyList<ScenarioCase> Scenarios, string? ParseError);
