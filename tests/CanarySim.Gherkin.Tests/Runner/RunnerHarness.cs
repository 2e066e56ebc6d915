namespace CanarySim.Gherkin.Tests.Runner;

// Runs small feature texts against chosen binding classes and hands back the results and the shared probe.
internal static class RunnerHarness
{
    public static FeatureFile Parse(string text, string path = "features/test.feature") => FeatureLoader.Parse(path, text);

    public static async Task<(IReadOnlyList<ScenarioResult> Results, Probe Probe)> Run(string featureText, params Type[] bindings)
    {
        var feature = Parse(featureText);
        Assert.That(feature.ParseError, Is.Null, "test feature must parse");
        var testRun = new ObjectContainer();
        var probe = new Probe();
        testRun.RegisterInstanceAs(probe);
        var runner = new ScenarioRunner(new BindingRegistry(bindings), testRun);
        var results = new List<ScenarioResult>();
        foreach (var scenario in feature.Scenarios)
        {
            results.Add(await runner.RunAsync(scenario));
        }
        return (results, probe);
    }
}
