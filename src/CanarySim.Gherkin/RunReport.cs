using System.Collections.Concurrent;

namespace CanarySim.Gherkin;

/// <summary>Collects scenario results of one test run (thread-safe) for the HTML report.</summary>
public sealed class RunReport
{
    private readonly ConcurrentQueue<ScenarioResult> results = new();
    private readonly ConcurrentQueue<FeatureFile> broken = new();

    /// <summary>Records a scenario's result.</summary>
    public void Add(ScenarioResult result) => results.Enqueue(result);

    /// <summary>Records a feature file that did not parse.</summary>
    public void AddParseError(FeatureFile feature) => broken.Enqueue(feature);

    /// <summary>Results recorded so far.</summary>
    public IReadOnlyList<ScenarioResult> Results => [.. results];

    /// <summary>Feature files that did not parse.</summary>
    public IReadOnlyList<FeatureFile> ParseErrors => [.. broken];

    /// <summary>Passed scenarios.</summary>
    public int Passed => results.Count(r => r.Status == StepStatus.Passed);

    /// <summary>Failed scenarios plus unparsable files.</summary>
    public int Failed => results.Count(r => r.Status == StepStatus.Failed) + broken.Count;

    /// <summary>Ignored scenarios.</summary>
    public int Skipped => results.Count(r => r.Status == StepStatus.Skipped);

    /// <summary><c>N passed, N failed</c> (plus <c>, N skipped</c> when any).</summary>
    public string Verdict => $"{Passed} passed, {Failed} failed" + (Skipped > 0 ? $", {Skipped} skipped" : "");
}
