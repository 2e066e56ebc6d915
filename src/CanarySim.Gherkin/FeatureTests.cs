using NUnit.Framework;

namespace CanarySim.Gherkin;

/// <summary>
/// Base of the one NUnit fixture that runs every <c>features/**/*.feature</c> of the repository
/// against the <see cref="BindingAttribute"/> classes of <typeparamref name="TSelf"/>'s assembly.
/// Each scenario / outline row is a test case named <c>Feature: Scenario [row]</c>; at the end the
/// HTML report is written to <c>reports/features/index.html</c>.
/// </summary>
/// <typeparam name="TSelf">The derived fixture (its assembly holds the bindings).</typeparam>
public abstract class FeatureTests<TSelf>
    where TSelf : FeatureTests<TSelf>
{
    private BindingRegistry? registry;
    private ObjectContainer? testRun;

    /// <summary>The repository root (the folder holding <c>CanarySim.sln</c>).</summary>
    protected static string RepositoryRoot => FeatureTestSource.FindRepositoryRoot(Path.GetDirectoryName(typeof(TSelf).Assembly.Location));

    /// <summary>Results of the scenarios run so far.</summary>
    protected RunReport Report { get; } = new();

    /// <summary>The test cases: every scenario under <c>&lt;repository&gt;/features</c>.</summary>
    public static IEnumerable<TestCaseData> Scenarios() =>
        FeatureTestSource.Cases(Path.Combine(RepositoryRoot, "features"), RepositoryRoot);

    /// <summary>Builds the binding registry and the test-run container.</summary>
    [OneTimeSetUp]
    public void StartTestRun()
    {
        registry = new BindingRegistry(typeof(TSelf).Assembly);
        testRun = new ObjectContainer();
        ConfigureTestRun(testRun);
    }

    /// <summary>Runs one scenario; fails with the runner's message (file:line, step, cause).</summary>
    [TestCaseSource(nameof(Scenarios))]
    public async Task Scenario(FeatureTestCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        if (testCase.Broken is { } broken)
        {
            Report.AddParseError(broken);
            Assert.Fail(broken.ParseError ?? broken.FilePath);
            return;
        }
        var result = await new ScenarioRunner(registry!, testRun).RunAsync(testCase.Scenario!).ConfigureAwait(false);
        Report.Add(result);
        if (result.Status == StepStatus.Skipped)
        {
            Assert.Ignore(result.Error ?? "ignored");
        }
        if (!result.Passed)
        {
            Assert.Fail(result.Error ?? "failed");
        }
    }

    /// <summary>Disposes shared objects and writes the reports.</summary>
    [OneTimeTearDown]
    public async Task FinishTestRun()
    {
        if (testRun is not null)
        {
            await testRun.DisposeAsync().ConfigureAwait(false);
        }
        OnTestRunFinished(Report);
    }

    /// <summary>Registers objects shared by every scenario of the run (e.g. one stub server): <c>testRun.RegisterFactoryAs(…)</c>.</summary>
    protected virtual void ConfigureTestRun(ObjectContainer testRun)
    {
    }

    /// <summary>Writes <c>reports/features/index.html</c>; override to add more (call the base).</summary>
    protected virtual void OnTestRunFinished(RunReport report) =>
        HtmlReportWriter.Write(report, Path.Combine(RepositoryRoot, "reports", "features", "index.html"));
}
