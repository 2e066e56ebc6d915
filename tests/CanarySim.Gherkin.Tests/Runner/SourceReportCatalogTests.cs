using System.Text.Json;

namespace CanarySim.Gherkin.Tests.Runner;

public sealed class SourceReportCatalogTests
{
    private string root = "";

    [SetUp]
    public void CreateRepository()
    {
        root = Path.Combine(Path.GetTempPath(), "canarysim-gherkin-" + TestContext.CurrentContext.Random.GetString(10));
        Directory.CreateDirectory(Path.Combine(root, "features", "routing"));
        Directory.CreateDirectory(Path.Combine(root, "tests", "bin"));
        File.WriteAllText(Path.Combine(root, FeatureTestSource.SolutionFileName), "");
    }

    [TearDown]
    public void DeleteRepository() => Directory.Delete(root, recursive: true);

    [Test]
    public void Repository_root_is_found_walking_up_from_the_test_folder() =>
        Assert.That(FeatureTestSource.FindRepositoryRoot(Path.Combine(root, "tests", "bin")), Is.EqualTo(root));

    [Test]
    public void Without_a_solution_above_the_error_says_what_is_missing() =>
        Assert.That(() => FeatureTestSource.FindRepositoryRoot(Path.GetPathRoot(root)), Throws.TypeOf<DirectoryNotFoundException>().With.Message.Contains("CanarySim.sln"));

    [Test]
    public void Every_scenario_and_row_is_a_named_test_case_with_tag_categories_and_broken_files_fail()
    {
        File.WriteAllText(Path.Combine(root, "features", "routing", "ramp.feature"), """
            @routing
            Feature: Ramp
              Scenario Outline: hold <pct>
                Given I log "<pct>"
                Examples:
                  | pct |
                  | 10  |
                  | 25  |
              Scenario: same name
                Given I log "a"
              Scenario: same name
                Given I log "b"
            """);
        File.WriteAllText(Path.Combine(root, "features", "broken.feature"), "Feature: B\n  Scenario: s\n    Given a\n  not gherkin\n");
        var cases = FeatureTestSource.Cases(Path.Combine(root, "features"), root).ToList();
        Assert.That(cases.Select(c => c.TestName), Is.EqualTo(new[]
        {
            "features/broken.feature: does not parse",
            "Ramp: hold 10 [10]",
            "Ramp: hold 25 [25]",
            "Ramp: same name",
            "Ramp: same name #2",
        }));
        Assert.That(cases[1].Properties.Get("Category"), Is.EqualTo("routing"));
        var broken = (FeatureTestCase)cases[0].Arguments[0]!;
        Assert.That(broken.Broken!.ParseError, Does.StartWith("features/broken.feature:4:"));
    }

    [Test]
    public async Task Html_report_shows_features_scenarios_steps_errors_and_evidence()
    {
        var evidence = Path.Combine(root, "reports", "rehearsal", "evidence.md");
        Directory.CreateDirectory(Path.GetDirectoryName(evidence)!);
        await File.WriteAllTextAsync(evidence, "# evidence");
        var (results, _) = await RunnerHarness.Run($$"""
            Feature: Report <demo>
              Scenario: passes with evidence
                Given I log "a"
                Then evidence "{{evidence}}" is attached
              Scenario: fails
                Then the p95 latency 1850ms is below 1600ms
            """, typeof(FlowSteps));
        var report = new RunReport();
        foreach (var r in results)
        {
            report.Add(r);
        }
        var page = Path.Combine(root, "reports", "features", "index.html");
        HtmlReportWriter.Write(report, page);
        var html = await File.ReadAllTextAsync(page);
        Assert.Multiple(() =>
        {
            Assert.That(report.Verdict, Is.EqualTo("1 passed, 1 failed"));
            Assert.That(html, Does.Contain("Report &lt;demo&gt;"), "names are HTML-encoded");
            Assert.That(html, Does.Contain("passes with evidence").And.Contains("<span class=\"badge failed\">failed</span> fails"));
            Assert.That(html, Does.Contain("p95 1850ms must stay below the 1600ms threshold"));
            Assert.That(html, Does.Contain("<a href=\"../rehearsal/evidence.md\">evidence.md</a>"));
            Assert.That(File.Exists(page + ".tmp"), Is.False);
        });
    }

    [Test]
    public void Step_catalog_lists_pattern_parameters_example_and_doc_summary()
    {
        var xml = Path.Combine(root, "bindings.xml");
        File.WriteAllText(xml, """
            <?xml version="1.0"?><doc><members>
            <member name="M:CanarySim.Gherkin.Tests.Runner.TypedSteps.Flags(System.Boolean,CanarySim.Gherkin.Tests.Runner.Mode)"><summary>Sets the <c>kill switch</c> and
              the <see cref="T:CanarySim.Gherkin.Tests.Runner.Mode"/>.</summary></member>
            <member name="M:CanarySim.Gherkin.Tests.Runner.TypedSteps.Samples(CanarySim.Gherkin.DataTable)"><summary>Loads samples.</summary></member>
            </members></doc>
            """);
        var md = StepCatalog.Generate(new BindingRegistry([typeof(TypedSteps)]), xml, "make steps");
        Assert.Multiple(() =>
        {
            Assert.That(md, Does.Contain("```\nmake steps\n```"));
            Assert.That(md, Does.Contain("### Given `the kill switch is (on|off) in (\\w+(?: \\w+)*) mode`\n\nSets the `kill switch` and the `Mode`.\n"));
            Assert.That(md, Does.Contain("- `mode`: one of primary, canary, killswitchon\n"));
            Assert.That(md, Does.Contain("Example: `Given the kill switch is on in primary mode`"));
            Assert.That(md, Does.Contain("Example: `Given 3 requests and 3 tokens`"));
            Assert.That(md, Does.Contain("Example: `When 1 ms pass`").Or.Contain("Example: `When 5 min pass`"));
            Assert.That(md, Does.Contain("Example: `Then the reason reads \"some text\"`"));
            Assert.That(md, Does.Contain("- `table`: a data table\n"));
        });
    }

    [Test]
    public void Step_catalog_examples_keep_plurals_and_repeat_counted_quantifiers() =>
        Assert.That(StepCatalog.Generate(new BindingRegistry([typeof(CatalogSteps)]), null, "x"),
            Does.Contain("Example: `Given 1 missions arrived within 11 min`"));

    [Test]
    public void Step_catalog_prefers_the_first_use_in_the_features_as_example()
    {
        var features = new[]
        {
            FeatureLoader.Parse("features/b.feature", "Feature: B\n  Scenario: s\n    Given the kill switch is off in canary mode\n"),
            FeatureLoader.Parse("features/a.feature", "Feature: A\n  Scenario: s\n    Given these samples:\n      | engine | quality |\n      | v2 | 93.5 |\n    And the kill switch is on in primary mode\n"),
        };
        var md = StepCatalog.Generate(new BindingRegistry([typeof(TypedSteps)]), null, "x", features);
        Assert.That(md, Does.Contain("Example: `Given the kill switch is on in primary mode`"), "features/a.feature comes first");
        Assert.That(md, Does.Contain("Example: `Given these samples:`\n\n```gherkin\n| engine | quality |\n| v2 | 93.5 |\n```"));
    }

    [Test]
    public void Run_report_counts_parse_errors_as_failures()
    {
        var report = new RunReport();
        report.AddParseError(FeatureLoader.Parse("features/x.feature", "nope"));
        Assert.That(report.Verdict, Is.EqualTo("0 passed, 1 failed"));
        Assert.That(JsonSerializer.Serialize(report.Failed), Is.EqualTo("1"));
    }
}
