namespace CanarySim.Gherkin.Tests.Runner;

public sealed class ParsingTests
{
    private const string Outline = """
        @routing
        Feature: Router ramp

          Background:
            Given I log "bg"

          @smoke
          Scenario Outline: Session stays at <pct>
            When I log "<pct>"
            But I log "<engine>"
            Then I log "done"

            Examples:
              | pct | engine |
              | 10  | v2     |
              | 25  | v1     |

          Scenario: Plain
            Given I log "x"
            And I log "y"
            When I log "z"
            And I log "w"
        """;

    [Test]
    public void Outline_rows_become_scenarios_named_feature_scenario_row()
    {
        var feature = RunnerHarness.Parse(Outline);
        Assert.That(feature.ParseError, Is.Null);
        Assert.That(feature.Scenarios.Select(s => s.DisplayName), Is.EqualTo(new[]
        {
            "Router ramp: Session stays at 10 [10, v2]",
            "Router ramp: Session stays at 25 [25, v1]",
            "Router ramp: Plain",
        }));
        var first = feature.Scenarios[0];
        Assert.Multiple(() =>
        {
            Assert.That(first.Steps.Select(s => s.Text), Is.EqualTo(new[] { "I log \"bg\"", "I log \"10\"", "I log \"v2\"", "I log \"done\"" }));
            Assert.That(first.Steps.Select(s => s.Kind), Is.EqualTo(new[] { StepKind.Given, StepKind.When, StepKind.When, StepKind.Then }));
            Assert.That(first.Tags, Is.EquivalentTo(new[] { "routing", "smoke" }));
            Assert.That(first.Line, Is.EqualTo(15), "an outline row's line is the row's");
            Assert.That(first.Steps[1].Line, Is.EqualTo(9));
            Assert.That(feature.Scenarios[2].Steps.Select(s => s.Kind), Is.EqualTo(new[] { StepKind.Given, StepKind.Given, StepKind.Given, StepKind.When, StepKind.When }));
        });
    }

    [Test]
    public void A_feature_that_does_not_parse_names_file_and_line()
    {
        var feature = RunnerHarness.Parse("""
            Feature: Broken
              Scenario: one
                Given I log "a"
              this line is not gherkin
            """, "features/broken.feature");
        Assert.That(feature.ParseError, Does.StartWith("features/broken.feature:4:").And.Contains("got 'this line is not gherkin'"));
        Assert.That(feature.Scenarios, Is.Empty);
    }

    [Test]
    public void An_empty_file_is_a_parse_error() =>
        Assert.That(RunnerHarness.Parse("", "features/empty.feature").ParseError, Does.StartWith("features/empty.feature:1:").And.Contains("no 'Feature:' line"));

    [Test]
    public void Tables_keep_their_lines_and_report_missing_columns_with_them()
    {
        var feature = RunnerHarness.Parse("""
            Feature: T
              Scenario: S
                Given these samples:
                  | engine | quality |
                  | v1     | 95      |
            """);
        var table = feature.Scenarios[0].Steps[0].Table!;
        Assert.Multiple(() =>
        {
            Assert.That(table.Header, Is.EqualTo(new[] { "engine", "quality" }));
            Assert.That(table.Rows[0].Line, Is.EqualTo(5));
            Assert.That(table.Rows[0].Get<double>("Quality"), Is.EqualTo(95.0));
            Assert.That(() => table.Rows[0].Get<int>("latency"), Throws.TypeOf<KeyNotFoundException>().With.Message.EqualTo("features/test.feature:5: table has no column 'latency' (columns: engine, quality)"));
            Assert.That(() => table.Rows[0].Get<bool>("engine"), Throws.TypeOf<FormatException>().With.Message.StartsWith("features/test.feature:5: column 'engine': expected true/false"));
        });
    }
}
