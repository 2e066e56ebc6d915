namespace CanarySim.Gherkin.Tests.Runner;

// The deliberately failing checks: scenarios made to fail must say why.
public sealed class FailureMessageTests
{
    [Test]
    public async Task A_wrong_threshold_fails_with_the_step_location_and_the_numbers()
    {
        var (results, _) = await RunnerHarness.Run("""
            Feature: Latency gate
              Scenario: p95 above the threshold QA wrote
                Then the p95 latency 1850ms is below 1600ms
            """, typeof(FlowSteps));
        var result = results[0];
        Assert.That(result.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(result.Error, Does.StartWith("features/test.feature:3: step failed: Then the p95 latency 1850ms is below 1600ms")
            .And.Contains("p95 1850ms must stay below the 1600ms threshold")
            .And.Contains("Expected: less than 1600").And.Contains("But was:  1850"));
    }

    [Test]
    public async Task A_missing_binding_fails_with_location_text_and_the_three_closest_patterns()
    {
        var (results, probe) = await RunnerHarness.Run("""
            Feature: Typo
              Scenario: misspelt step
                Given I log "a"
                When the engine crashed hard
                Then I logg "b"
            """, typeof(FlowSteps));
        var error = results[0].Error!;
        Assert.That(error, Does.StartWith("features/test.feature:4: no step definition matches the When step \"the engine crashed hard\""));
        var lines = error.Split(Environment.NewLine);
        Assert.That(lines[1], Is.EqualTo("  closest step patterns:"));
        Assert.That(lines[2], Does.Contain("[When] the engine crashes   (FlowSteps.Crash)"), "the nearest pattern comes first");
        Assert.That(lines.Skip(2).TakeWhile(l => l.StartsWith("    [", StringComparison.Ordinal)).Count(), Is.EqualTo(3));
        Assert.That(error, Does.Contain("features/test.feature:5: no step definition matches the Then step \"I logg \"b\"\""), "every undefined step is reported at once");
        Assert.That(results[0].Steps.Select(s => s.Status), Is.EqualTo(new[] { StepStatus.Skipped, StepStatus.Undefined, StepStatus.Undefined }));
        Assert.That(probe.Log, Is.Empty);
    }

    [Test]
    public async Task A_step_of_the_wrong_kind_is_undefined_like_in_reqnroll()
    {
        var (results, _) = await RunnerHarness.Run("""
            Feature: Kinds
              Scenario: then used as given
                Given the p95 latency 100ms is below 1600ms
            """, typeof(FlowSteps));
        Assert.That(results[0].Error, Does.Contain("no step definition matches the Given step")
            .And.Contains("[Then] the p95 latency (\\d+)ms is below (\\d+)ms"));
    }
}
