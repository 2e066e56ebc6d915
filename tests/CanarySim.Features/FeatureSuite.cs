using Io.Cucumber.Messages.Types;
using NUnit.Framework.Internal;

namespace CanarySim.Features;

/// <summary>
/// Runs every <c>features/**/*.feature</c> on the Reqnroll runtime: one NUnit test per scenario and
/// per example row (named <c>Feature: Scenario [row]</c>, every tag an NUnit category), each step
/// handed to Reqnroll's test runner, which matches it to a <c>[Binding]</c> step definition. Scenarios run in
/// parallel (<c>LevelOfParallelism</c> in <c>Parallelism.cs</c>), each on a test runner of its own.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class FeatureSuite
{
    /// <summary>The tag of scenarios that wait seconds on the wall clock (a live service): they start first.</summary>
    public const string WallClockTag = "wall-clock";

    /// <summary>The tag of scenarios that compute for seconds (whole simulations, sweeps): they start next.</summary>
    public const string SlowTag = "slow";

    private static int _passed;
    private static int _failed;

    /// <summary>Scenarios that passed so far in this run.</summary>
    public static int Passed => _passed;

    /// <summary>Scenarios that failed so far in this run (feature files that do not parse included).</summary>
    public static int Failed => _failed;

    /// <summary>
    /// The test cases: every scenario and example row under <c>&lt;repository&gt;/features</c>, in path order, except that
    /// scenarios tagged <c>@wall-clock</c> come first and <c>@slow</c> ones next. Scenarios run in parallel: the ones waiting
    /// on the wall clock use no core while they wait, so they start first and overlap the others; and a run should not
    /// end waiting on a long scenario that started last.
    /// </summary>
    public static IEnumerable<TestCaseData> Scenarios() =>
        Cases().OrderBy(c => c.Rank).Select(c => c.Data);

    private static IEnumerable<(TestCaseData Data, int Rank)> Cases()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (display, document, error) in FeatureDocument.LoadFolder(FeatureRun.RepositoryRoot))
        {
            if (document is null)
            {
                yield return (new TestCaseData(null, error).SetName($"{display}: does not parse"), 2);
                continue;
            }
            for (var i = 0; i < document.PickleList.Count; i++)
            {
                var scenario = new ScenarioCase(document, i);
                var name = scenario.DisplayName;
                for (var n = 2; !names.Add(name); n++)
                {
                    name = $"{scenario.DisplayName} #{n}";
                }
                var data = new TestCaseData(scenario, null).SetName(name);
                foreach (var tag in scenario.Tags)
                {
                    data.SetCategory(tag);
                }
                if (scenario.HasTag("ignore"))
                {
                    data.Ignore($"ignored by the @ignore tag at {scenario.Location}");
                }
                yield return (data, scenario.HasTag(WallClockTag) ? 0 : scenario.HasTag(SlowTag) ? 1 : 2);
            }
        }
    }

    /// <summary>Runs one scenario through Reqnroll's test runner; fails with the failing step's location, text and cause.</summary>
    [TestCaseSource(nameof(Scenarios))]
    [Parallelizable(ParallelScope.All)]
    public async Task Scenario(ScenarioCase? scenario, string? parseError)
    {
        if (scenario is null)
        {
            Interlocked.Increment(ref _failed);
            Assert.Fail(parseError ?? "the feature file does not parse");
            return;
        }
        var failure = await RunAsync(scenario);
        if (failure is null)
        {
            Interlocked.Increment(ref _passed);
            return;
        }
        Interlocked.Increment(ref _failed);
        Assert.Fail(failure);
    }

    // Mirrors what Reqnroll's generated test classes do around one scenario. Binding assertions run in
    // an isolated NUnit context so the test reports one message, composed here, not NUnit's as well.
    private static async Task<string?> RunAsync(ScenarioCase scenario)
    {
        var feature = scenario.Document.FeatureInfo;
        var runner = TestRunnerManager.GetTestRunnerForAssembly(typeof(FeatureSuite).Assembly, featureHint: feature);
        try
        {
            if (runner.FeatureContext is { } current && !ReferenceEquals(current.FeatureInfo, feature))
            {
                await runner.OnFeatureEndAsync();
            }
            if (runner.FeatureContext is null)
            {
                await runner.OnFeatureStartAsync(feature);
            }
            if (runner.FeatureContext?.BeforeFeatureHookFailed == true)
            {
                return $"{scenario.Location}: skipped because a [BeforeFeature] hook failed";
            }
            runner.OnScenarioInitialize(scenario.ScenarioInfo(), scenario.RuleInfo());
            runner.ScenarioContext.ScenarioContainer.RegisterInstanceAs(scenario);
            PickleStep? failedStep = null;
            using (new TestExecutionContext.IsolatedContext())
            {
                await runner.OnScenarioStartAsync();
                foreach (var step in scenario.Pickle.Steps)
                {
                    await RunStepAsync(runner, scenario.Document, step);
                    if (failedStep is null && runner.ScenarioContext.ScenarioExecutionStatus != ScenarioExecutionStatus.OK)
                    {
                        failedStep = step;
                    }
                }
            }
            try
            {
                await runner.CollectScenarioErrorsAsync();
            }
            catch (System.Exception ex) when (ex is not (InconclusiveException or IgnoreException))
            {
                return Describe(scenario, failedStep, ex);
            }
            return null;
        }
        finally
        {
            try
            {
                await runner.OnScenarioEndAsync();
            }
            finally
            {
                TestRunnerManager.ReleaseTestRunner(runner);
            }
        }
    }

    private static Task RunStepAsync(ITestRunner runner, FeatureDocument document, PickleStep step)
    {
        var keyword = document.StepOf(step).Keyword;
        var docString = step.Argument?.DocString?.Content;
        var table = step.Argument?.DataTable is { Rows.Count: > 0 } rows ? ToTable(rows) : null;
        if (table is not null && document.StepOf(step).DataTable is { } source)
        {
            TableRows.Remember(table, document.Path, [.. source.Rows.Select(r => (int)r.Location.Line)]);
        }
        return step.Type switch
        {
            PickleStepType.CONTEXT => runner.GivenAsync(step.Text, docString, table, keyword),
            PickleStepType.ACTION => runner.WhenAsync(step.Text, docString, table, keyword),
            PickleStepType.OUTCOME => runner.ThenAsync(step.Text, docString, table, keyword),
            _ => runner.GivenAsync(step.Text, docString, table, keyword),
        };
    }

    private static Table ToTable(PickleTable rows)
    {
        var table = new Table([.. rows.Rows[0].Cells.Select(c => c.Value)]);
        foreach (var row in rows.Rows.Skip(1))
        {
            table.AddRow([.. row.Cells.Select(c => c.Value)]);
        }
        return table;
    }

    private static string Describe(ScenarioCase scenario, PickleStep? step, System.Exception error)
    {
        var cause = error.Message.Trim().Replace("\n", "\n  ", StringComparison.Ordinal);
        if (step is null)
        {
            return $"{scenario.Location}: {scenario.Name}\n  {cause}";
        }
        var ast = scenario.Document.StepOf(step);
        return $"{scenario.FilePath}:{ast.Location.Line}: step failed: {ast.Keyword.Trim()} {step.Text}\n  {cause}";
    }
}
