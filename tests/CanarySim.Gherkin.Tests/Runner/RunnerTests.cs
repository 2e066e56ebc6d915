namespace CanarySim.Gherkin.Tests.Runner;

public sealed class RunnerTests
{
    [Test]
    public async Task Typed_parameters_tables_and_doc_strings_reach_the_binding()
    {
        var (results, probe) = await RunnerHarness.Run("""
            Feature: Types
              Scenario: all
                Given 12 requests and 9000000000 tokens
                And canary at 12.5% with quality -3.5 and cost 2.75
                And the kill switch is on in kill switch on mode
                When 1600ms pass
                And 5 min pass
                And 48 hours pass
                And 2 days pass
                Then the reason reads "quality (V1: 95.0, V2: 82.0, drop: 13.0)"
                Given these samples:
                  | engine | quality | latency | error |
                  | v1     | 95.5    | 800ms   | no    |
                  | v2     | 82      | 2 s     | yes   |
                And a file named plan.yaml containing:
                  ```
                  phases: [shadow]
                  ```
                Then an async step runs
            """, typeof(TypedSteps));
        Assert.That(results[0].Error, Is.Null);
        Assert.That(probe.Values, Is.EqualTo(new object?[]
        {
            12, 9_000_000_000L, 12.5, -3.5, 2.75m, true, Mode.KillSwitchOn,
            TimeSpan.FromMilliseconds(1600), TimeSpan.FromMinutes(5), TimeSpan.FromHours(48), TimeSpan.FromDays(2),
            "quality (V1: 95.0, V2: 82.0, drop: 13.0)",
            95.5, TimeSpan.FromSeconds(2),
            new SampleRow("v1", 95.5, TimeSpan.FromMilliseconds(800)) { Error = false },
            new SampleRow("v2", 82, TimeSpan.FromSeconds(2)) { Error = true },
            "plan.yaml", "phases: [shadow]",
        }));
        Assert.That(probe.Log, Does.Contain("async"));
    }

    [Test]
    public async Task A_value_that_does_not_convert_fails_naming_the_parameter()
    {
        var (results, _) = await RunnerHarness.Run("""
            Feature: Types
              Scenario: bad enum
                Given the kill switch is on in turbo mode
            """, typeof(TypedSteps));
        Assert.That(results[0].Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(results[0].Error, Does.StartWith("features/test.feature:3: step failed: Given the kill switch is on in turbo mode")
            .And.Contains("parameter 'mode' of TypedSteps.Flags: expected one of primary, canary, killswitchon but got \"turbo\""));
    }

    [Test]
    public async Task Hooks_run_around_steps_and_tag_scoped_hooks_only_for_their_tags()
    {
        var (results, probe) = await RunnerHarness.Run("""
            Feature: Hooks
              @smoke
              Scenario: tagged
                Given I log "one"
              Scenario: untagged
                Given I log "two"
            """, typeof(FlowSteps));
        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(StepStatus.Passed));
        Assert.That(probe.Log, Is.EqualTo(new[] { "before:tagged", "before-smoke", "one", "after", "before:untagged", "two", "after" }));
    }

    [Test]
    public async Task After_hooks_run_when_a_step_fails_and_later_steps_are_skipped()
    {
        var (results, probe) = await RunnerHarness.Run("""
            Feature: Failing
              Scenario: crash
                Given I log "start"
                When the engine crashes
                Then I log "never"
            """, typeof(FlowSteps));
        var result = results[0];
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(StepStatus.Failed));
            Assert.That(result.Steps.Select(s => s.Status), Is.EqualTo(new[] { StepStatus.Passed, StepStatus.Failed, StepStatus.Skipped }));
            Assert.That(result.Error, Does.StartWith("features/test.feature:4: step failed: When the engine crashes")
                .And.Contains("InvalidOperationException: engine v2 returned 500")
                .And.Contains("at FlowSteps.Crash"));
            Assert.That(probe.Log, Is.EqualTo(new[] { "before:crash", "start", "after" }));
        });
    }

    [Test]
    public async Task Context_objects_are_one_per_scenario_shared_by_bindings_and_disposed_after()
    {
        var (results, probe) = await RunnerHarness.Run("""
            Feature: Context
              Scenario: first
                When I add one
                And I add one
                Then the count is 2
              Scenario: second
                When I add one
                Then the count is 1
            """, typeof(CounterSteps), typeof(CounterChecks));
        Assert.That(results.Select(r => r.Error), Is.All.Null);
        var counters = probe.Values.Cast<Counter>().Distinct().ToList();
        Assert.That(counters, Has.Count.EqualTo(2), "a fresh Counter per scenario");
        Assert.That(counters.Select(c => c.Disposed), Is.All.True);
        Assert.That(probe.Disposed, Is.False, "objects registered by the test run outlive scenarios");
    }

    [Test]
    public async Task Ignore_tag_skips_with_a_reason()
    {
        var (results, probe) = await RunnerHarness.Run("""
            Feature: Ignored
              @ignore
              Scenario: later
                Given I log "never"
            """, typeof(FlowSteps));
        Assert.That(results[0].Status, Is.EqualTo(StepStatus.Skipped));
        Assert.That(results[0].Error, Is.EqualTo("ignored by the @ignore tag at features/test.feature:3"));
        Assert.That(probe.Log, Is.Empty);
    }

    [Test]
    public async Task Attachments_are_recorded_on_the_result()
    {
        var (results, _) = await RunnerHarness.Run("""
            Feature: Evidence
              Scenario: attach
                Then evidence "reports/rehearsal.md" is attached
            """, typeof(FlowSteps));
        Assert.That(results[0].Attachments, Is.EqualTo(new[] { new Attachment("note", "reports/rehearsal.md", false) }));
    }

    [Test]
    public async Task Ambiguous_steps_fail_listing_every_match()
    {
        var (results, probe) = await RunnerHarness.Run("""
            Feature: Ambiguity
              Scenario: two matches
                Given I log "hello"
            """, typeof(FlowSteps), typeof(CollidingSteps));
        Assert.That(results[0].Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(results[0].Error, Does.StartWith("features/test.feature:3: the Given step \"I log \"hello\"\" matches 2 step definitions:")
            .And.Contains("(FlowSteps.LogWord)").And.Contains("(CollidingSteps.Hello)"));
        Assert.That(probe.Log, Is.Empty, "nothing runs when a step is ambiguous");
    }

    [Test]
    public async Task A_scenario_without_steps_fails()
    {
        var (results, _) = await RunnerHarness.Run("Feature: Empty\n  Scenario: nothing\n", typeof(FlowSteps));
        Assert.That(results[0].Error, Is.EqualTo("features/test.feature:2: the scenario has no steps"));
    }
}
