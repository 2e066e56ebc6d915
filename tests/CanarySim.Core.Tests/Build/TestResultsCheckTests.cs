namespace CanarySim.Core.Tests.Build;

/// <summary>
/// The rules the build's Test and Features targets apply to .trx results (build/test-results.cake,
/// compiled into this assembly): a skipped or ignored test fails the run unless allow-listed with a
/// reason, and a test assembly (the features above all) that ran nothing fails it.
/// </summary>
public sealed class TestResultsCheckTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("canarysim-trx-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Required = ["CanarySim.Features.FeatureSuite"];

    private const string Ignored = "CanarySim.Features.FeatureSuite.Kill switch: Turning it on sends everyone to v1";

    [Test]
    public void A_clean_run_has_no_problems_and_counts_every_outcome()
    {
        var summary = Read(Trx("CanarySim.Features.dll", ("Kill switch: Turning it on sends everyone to v1", "Passed", "")),
            Trx("CanarySim.Core.Tests.dll", ("A", "Passed", ""), ("B", "Failed", ""), ("C", "Passed", "")));
        Assert.Multiple(() =>
        {
            Assert.That(summary.Line, Is.EqualTo("3 passed, 1 failed, 0 skipped"));
            Assert.That(summary.ExecutedPerAssembly, Is.EquivalentTo(new Dictionary<string, int> { ["CanarySim.Features.dll"] = 1, ["CanarySim.Core.Tests.dll"] = 3 }));
            Assert.That(summary.ExecutedPerClass["CanarySim.Features.FeatureSuite"], Is.EqualTo(1));
            Assert.That(TestResultsCheck.Problems(summary, new Dictionary<string, string>(), Required), Is.EqualTo(new[] { "1 test(s) failed" }));
        });
    }

    [Test]
    public void An_ignored_scenario_fails_the_run_naming_it_and_the_runner_message()
    {
        var summary = Read(Trx("CanarySim.Features.dll",
            ("Kill switch: Turning it on sends everyone to v1", "NotExecuted", "ignored by the @ignore tag at features/routing/kill_switch.feature:12"),
            ("Kill switch: Turning it off again", "Passed", "")));
        var problems = TestResultsCheck.Problems(summary, new Dictionary<string, string>(), Required);
        Assert.Multiple(() =>
        {
            Assert.That(summary.Line, Is.EqualTo("1 passed, 0 failed, 1 skipped"));
            Assert.That(problems, Is.EqualTo(new[] { $"skipped but not in tests/skipped-tests.txt: {Ignored} (ignored by the @ignore tag at features/routing/kill_switch.feature:12)" }));
        });
    }

    [Test]
    public void An_inconclusive_test_counts_as_skipped()
    {
        var summary = Read(Trx("CanarySim.Core.Tests.dll", ("Pending step", "Inconclusive", "step not implemented"), ("A", "Passed", "")),
            Trx("CanarySim.Features.dll", ("S", "Passed", "")));
        Assert.That(TestResultsCheck.Problems(summary, new Dictionary<string, string>(), Required),
            Is.EqualTo(new[] { "skipped but not in tests/skipped-tests.txt: CanarySim.Core.Tests.Sample.Pending step (step not implemented)" }));
    }

    [Test]
    public void A_skipped_test_listed_with_its_reason_is_allowed()
    {
        var list = Path.Combine(_dir, "skipped-tests.txt");
        File.WriteAllLines(list, ["# comment", "", $"{Ignored} | the kill switch service is down for maintenance until 2026-12-01"]);
        var summary = Read(Trx("CanarySim.Features.dll", ("Kill switch: Turning it on sends everyone to v1", "NotExecuted", "ignored"), ("Other", "Passed", "")));
        var allowed = TestResultsCheck.ReadAllowList(list);
        Assert.Multiple(() =>
        {
            Assert.That(allowed[Ignored], Is.EqualTo("the kill switch service is down for maintenance until 2026-12-01"));
            Assert.That(TestResultsCheck.Problems(summary, allowed, Required), Is.Empty);
        });
    }

    [Test]
    public void An_allow_list_line_without_a_reason_is_an_error_naming_file_and_line()
    {
        var list = Path.Combine(_dir, "skipped-tests.txt");
        File.WriteAllLines(list, ["# header", Ignored]);
        Assert.That(() => TestResultsCheck.ReadAllowList(list),
            Throws.TypeOf<FormatException>().With.Message.StartsWith($"{list}:2: expected 'Class.Test | reason"));
    }

    [Test]
    public void A_features_run_with_zero_scenarios_fails_even_when_everything_else_passed()
    {
        // An empty features/ folder: the features assembly still runs its own unit tests, but no scenario.
        var summary = Read(Trx("CanarySim.Features.dll", "CanarySim.Features.Runtime.StepTextTests", ("Durations_parse", "Passed", "")),
            Trx("CanarySim.Core.Tests.dll", ("A", "Passed", "")));
        Assert.That(TestResultsCheck.Problems(summary, new Dictionary<string, string>(), Required),
            Is.EqualTo(new[] { "CanarySim.Features.FeatureSuite ran no test (an empty features/ folder, or every test filtered or ignored)" }));
    }

    [Test]
    public void A_missing_features_result_fails_and_so_does_a_test_assembly_whose_every_test_was_ignored()
    {
        var summary = Read(Trx("CanarySim.Service.Tests.dll", ("Only", "NotExecuted", "ignored")), Trx("CanarySim.Core.Tests.dll", ("A", "Passed", "")));
        var allowed = new Dictionary<string, string> { ["CanarySim.Core.Tests.Sample.Only"] = "reason" };
        Assert.That(TestResultsCheck.Problems(summary, allowed, summary.ExecutedPerAssembly.Keys.Concat(Required)), Is.EquivalentTo(new[]
        {
            "CanarySim.Service.Tests.dll ran no test (an empty features/ folder, or every test filtered or ignored)",
            "CanarySim.Features.FeatureSuite ran no test (an empty features/ folder, or every test filtered or ignored)",
        }));
    }

    [Test]
    public void A_run_where_nothing_passed_fails()
    {
        var summary = Read();
        Assert.That(TestResultsCheck.Problems(summary, new Dictionary<string, string>(), []), Is.EqualTo(new[] { "no test passed" }));
    }

    private static TestRunSummary Read(params string[] files) => TestResultsCheck.Read(files);

    /// <summary>Writes a .trx as <c>dotnet test --logger trx</c> does (the elements the check reads), one result per (name, outcome, message).</summary>
    private string Trx(string assembly, params (string Name, string Outcome, string Message)[] results) =>
        Trx(assembly, assembly == "CanarySim.Features.dll" ? "CanarySim.Features.FeatureSuite" : "CanarySim.Core.Tests.Sample", results);

    private string Trx(string assembly, string className, params (string Name, string Outcome, string Message)[] results)
    {
        var ids = results.Select(_ => Guid.NewGuid().ToString()).ToArray();
        var ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var unitResults = string.Concat(results.Select((r, i) =>
            $"""<UnitTestResult testId="{ids[i]}" testName="{r.Name}" outcome="{r.Outcome}"><Output><ErrorInfo><Message>{r.Message}</Message></ErrorInfo></Output></UnitTestResult>"""));
        var definitions = string.Concat(results.Select((r, i) =>
            $"""<UnitTest name="{r.Name}" storage="/repo/tests/bin/release/net10.0/{assembly.ToLowerInvariant()}" id="{ids[i]}"><TestMethod codeBase="/repo/tests/bin/Release/net10.0/{assembly}" className="{className}" name="{r.Name}" /></UnitTest>"""));
        var xml = $"""<?xml version="1.0" encoding="utf-8"?><TestRun xmlns="{ns}"><Results>{unitResults}</Results><TestDefinitions>{definitions}</TestDefinitions></TestRun>""";
        var path = Path.Combine(_dir, $"{assembly}-{Guid.NewGuid():N}.trx");
        File.WriteAllText(path, xml);
        return path;
    }
}
