namespace CanarySim.Gherkin;

/// <summary>The argument of one NUnit test case: a scenario to run, or a feature file that did not parse.</summary>
/// <param name="Scenario">The scenario, when the file parsed.</param>
/// <param name="Broken">The unparsable file, otherwise.</param>
public sealed record FeatureTestCase(ScenarioCase? Scenario, FeatureFile? Broken)
{
    /// <inheritdoc/>
    public override string ToString() => Scenario?.DisplayName ?? $"{Broken?.FilePath}: does not parse";
}
