using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;

namespace CanarySim.Core.Tests.Rollout;

public sealed class PlanLoaderTests
{
    internal static string PlansDir
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "fixtures", "plans")))
            {
                dir = dir.Parent;
            }
            return dir is null ? throw new DirectoryNotFoundException("fixtures/plans not found above the test directory") : Path.Combine(dir.FullName, "fixtures", "plans");
        }
    }

    /// <summary>The smallest valid plan: a shadow stage and a 5 % canary (its second stage starts on line 9, its last line is 11).</summary>
    internal const string Minimal = """
        schema: canarysim.plan/v1
        name: tiny
        duration: 2d
        stages:
          - name: shadow
            kind: shadow
            percent: 0
            min_hold: 1d
          - name: canary-5
            percent: 5
            min_hold: 1d
        """;

    private static PlanValidationException Fails(string yaml, bool json = false) =>
        Assert.Throws<PlanValidationException>(() => PlanLoader.Parse(yaml, "plans/test.yaml", json))!;

    [TestCase("planner-7-week.yaml", 6)]
    [TestCase("moltbot-playbook.yaml", 9)]
    [TestCase("phase8-stages.yaml", 5)]
    [TestCase("planner-latency-regression.yaml", 3)]
    public void Every_shipped_plan_loads_and_validates(string file, int stages)
    {
        var loaded = PlanFile.Load(Path.Combine(PlansDir, file));
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Plan.Stages, Has.Count.EqualTo(stages));
            Assert.That(PlanValidator.Validate(loaded.Plan), Is.Empty);
            Assert.That(loaded.Plan.Stages[0].Kind, Is.EqualTo(StageKind.Shadow));
        });
    }

    [Test]
    public void Seven_week_plan_ramps_0_5_10_20_50_100()
    {
        var plan = PlanFile.Load(Path.Combine(PlansDir, "planner-7-week.yaml")).Plan;
        Assert.That(plan.Stages.Select(s => s.Percent), Is.EqualTo(new double[] { 0, 5, 10, 20, 50, 100 }));
        Assert.That(plan.Duration, Is.EqualTo(TimeSpan.FromDays(49)));
    }

    [Test]
    public void Moltbot_plan_has_the_playbook_tiers_and_its_policy_the_triggers()
    {
        var plan = PlanFile.Load(Path.Combine(PlansDir, "moltbot-playbook.yaml")).Plan;
        var checks = new RolloutSimulator(plan, new SimulationOptions { ArtifactBase = PlansDir }).DetectorOptions.Checks!;
        Assert.Multiple(() =>
        {
            Assert.That(plan.Stages.Select(s => s.Percent), Is.EqualTo(new double[] { 0, 1, 2, 5, 10, 25, 50, 75, 100 }));
            Assert.That(plan.RollbackTriggers, Is.Empty);
            Assert.That(plan.Policy, Is.EqualTo("../policies/moltbot-playbook.json"));
            Assert.That(checks.Take(5).Select(c => (c.Name, c.Action)), Is.EqualTo(new[]
            {
                ("error_rate", VerdictAction.Rollback), ("latency_sustained", VerdictAction.ReduceTraffic), ("policy_violation", VerdictAction.Rollback),
                ("cost_spike", VerdictAction.Pause), ("complaints", VerdictAction.ManualReview),
            }));
            Assert.That(checks[0].Sustain, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(checks.Where(c => c.Name.EndsWith("_vs_v1", StringComparison.Ordinal)).Select(c => c.Confidence).ToList(), Is.EqualTo(Enumerable.Repeat<double?>(0.99, 6)));
            Assert.That(plan.Stages.Single(s => s.Name == "tier-10").Gates.Select(g => g.Kind), Does.Contain(GateKind.ManualApproval));
        });
    }

    [Test]
    public void Short_and_long_forms_of_criteria_and_gates_mean_the_same()
    {
        const string yaml = """
            name: forms
            duration: 2d
            stages:
              - name: shadow
                kind: shadow
                percent: 0
                gates: [detector, {kind: manual_approval, approver: ops}]
                exit_criteria:
                  - p95_latency_ms < 2000 for 48h
                  - {metric: error_rate, op: "<", value: 0.01, for: 1d}
              - name: canary-5
                percent: 5%
            """;
        var plan = PlanLoader.Parse(yaml, "x.yaml").Plan;
        var shadow = plan.Stages[0];
        Assert.Multiple(() =>
        {
            Assert.That(shadow.Gates.Select(g => g.Kind), Is.EqualTo(new[] { GateKind.Detector, GateKind.ManualApproval }));
            Assert.That(shadow.Gates[1].Approver, Is.EqualTo("ops"));
            Assert.That(shadow.ExitCriteria[0], Is.EqualTo(new ExitCriterion { Metric = "p95_latency_ms", Op = "<", Value = 2000, For = TimeSpan.FromHours(48), Line = shadow.ExitCriteria[0].Line }));
            Assert.That(shadow.ExitCriteria[1].For, Is.EqualTo(TimeSpan.FromDays(1)));
            Assert.That(plan.Stages[1].Kind, Is.EqualTo(StageKind.Canary), "5 % without a kind is a canary step");
        });
    }

    [Test]
    public void Unknown_field_is_reported_with_its_line_and_a_suggestion()
    {
        var ex = Fails(Minimal.Replace("    min_hold: 1d\n  - name: canary-5", "    min_hold: 1d\n    percnt: 3\n  - name: canary-5"));
        var error = ex.Errors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(error.Line, Is.EqualTo(9));
            Assert.That(error.Path, Is.EqualTo("stages[0].percnt"));
            Assert.That(error.Message, Does.Contain("did you mean 'percent'"));
            Assert.That(error.ToString(), Does.StartWith("plans/test.yaml:9: stages[0].percnt:"));
        });
    }

    [Test]
    public void Out_of_range_and_falling_percentages_name_the_stage_line()
    {
        var ex = Fails(Minimal.Replace("percent: 5", "percent: 120"));
        Assert.That(ex.Errors.Select(e => (e.Line, e.Path)), Does.Contain((10, "stages[1].percent")));
        Assert.That(ex.Message, Does.Contain("between 0 and 100, got 120"));

        var falling = Fails(Minimal + "\n  - name: back\n    percent: 2\n    min_hold: 1d\n");
        Assert.That(falling.Errors.Single().Message, Does.Contain("must ramp up: 2 % follows 5 %"));
        Assert.That(falling.Errors.Single().Line, Is.EqualTo(13));
    }

    [Test]
    public void A_hundred_percent_stage_without_an_earlier_rollback_rehearsal_is_refused()
    {
        var ex = Fails(Minimal + "\n  - name: full\n    percent: 100\n    min_hold: 1d\n");
        Assert.That(ex.Errors.Single().Message, Does.Contain("rollback rehearsal is required before 100 %"));
        Assert.That(ex.Errors.Single().Line, Is.EqualTo(12));

        var ok = PlanLoader.Parse(Minimal + "\n    gates: [rollback_rehearsal]\n  - name: full\n    percent: 100\n    min_hold: 1d\n", "x.yaml");
        Assert.That(ok.Plan.Stages[1].Gates.Single().Smoke, Is.EqualTo(new[] { "FIN-01", "SAL-01", "STK-01", "WR-02" }));
    }

    [Test]
    public void Bad_values_are_all_reported_at_once()
    {
        var ex = Fails(Minimal.Replace("duration: 2d", "duration: 2 fortnights").Replace("min_hold: 1d\n  - name: canary-5", "min_hold: soon\n  - name: canary-5")
                       + "\n    exit_criteria: [\"latency_p95 < 2000\"]\nrollback_triggers:\n  - {check: latancy, threshold: 1600}\n");
        Assert.Multiple(() =>
        {
            Assert.That(ex.Errors.Select(e => e.Path), Does.Contain("duration"));
            Assert.That(ex.Errors.Select(e => e.Path), Does.Contain("stages[0].min_hold"));
            Assert.That(ex.Errors.Select(e => e.Path), Does.Contain("stages[1].exit_criteria[0].metric"));
            Assert.That(ex.Errors.Select(e => e.Path), Does.Contain("rollback_triggers[0].check"));
            Assert.That(ex.Errors.Single(e => e.Path == "duration").Message, Does.Contain("unknown duration unit 'fortnights'"));
            Assert.That(ex.Errors.Single(e => e.Path == "duration").Line, Is.EqualTo(3));
            Assert.That(ex.Errors.Single(e => e.Path == "rollback_triggers[0].check").Line, Is.EqualTo(14));
        });
    }

    [Test]
    public void Missing_required_fields_are_named()
    {
        var ex = Fails("schema: canarysim.plan/v1\nstages: []\n");
        Assert.That(ex.Errors.Select(e => e.Path), Is.SupersetOf(new[] { "name", "duration" }));
    }

    [Test]
    public void Yaml_syntax_error_names_the_line()
    {
        var ex = Fails("name: x\nduration: 1d\nstages:\n  - name: [unclosed\n");
        Assert.That(ex.Errors.Single().Line, Is.GreaterThanOrEqualTo(4));
        Assert.That(ex.Errors.Single().Message, Does.Contain("YAML syntax error"));
    }

    [Test]
    public void Json_plans_load_and_their_errors_name_the_line()
    {
        const string json = """
            {
              "schema": "canarysim.plan/v1",
              "name": "j",
              "duration": "2d",
              "stages": [
                { "name": "shadow", "kind": "shadow", "percent": 0, "min_hold": "1d" },
                { "name": "canary", "kind": "canary", "percent": "five" }
              ]
            }
            """;
        var ex = Fails(json, json: true);
        Assert.That(ex.Errors.Single().Line, Is.EqualTo(7));
        Assert.That(ex.Errors.Single().Message, Does.Contain("expected a number, got 'five'"));

        var ok = PlanLoader.Parse(json.Replace("\"five\"", "5"), "j.json", json: true);
        Assert.That(ok.Plan.Stages[1].Percent, Is.EqualTo(5));
        Assert.That(ok.Lines["stages[1].percent"], Is.EqualTo(7));

        var broken = Fails("{\n  \"name\": \"x\",\n  \"duration\": \n}", json: true);
        Assert.That(broken.Errors.Single().Line, Is.EqualTo(4));
    }

    [Test]
    public void Empty_and_missing_files_are_clear_errors()
    {
        Assert.That(Fails("   \n").Errors.Single().Message, Does.Contain("empty"));
        var missing = Assert.Throws<PlanValidationException>(() => PlanFile.Load("/no/such/plan.yaml"))!;
        Assert.That(missing.Message, Does.Contain("/no/such/plan.yaml").And.Contain("not found"));
    }

    [Test]
    public void Published_schema_names_every_top_level_field_the_loader_accepts()
    {
        var schema = File.ReadAllText(Path.Combine(PlansDir, "schema", "plan.v1.schema.json"));
        foreach (var field in new[] { "schema", "name", "title", "description", "scope", "start", "duration", "salt", "phase", "evaluation", "evidence", "traffic", "progression", "stages", "rollback_triggers", "inject", "min_hold", "exit_criteria", "gates", "rollback_rehearsal", "release_gate" })
        {
            Assert.That(schema, Does.Contain($"\"{field}\""), field);
        }
    }

    [Test]
    public void The_loader_applies_the_published_schema()
    {
        Assert.That(PlanSchema.Text, Is.EqualTo(File.ReadAllText(Path.Combine(PlansDir, "schema", "plan.v1.schema.json"))));
    }

    [Test]
    public void Yaml_plain_values_are_read_as_the_type_their_field_expects()
    {
        var plan = PlanLoader.Parse(Minimal.Replace("name: tiny", "name: 2024\ntraffic: {requests: 1_000_000}\nprogression: {staged_rollback: yes}"), "x.yaml").Plan;
        Assert.Multiple(() =>
        {
            Assert.That(plan.Name, Is.EqualTo("2024"));
            Assert.That(plan.Traffic.Requests, Is.EqualTo(1_000_000));
            Assert.That(plan.Progression.StagedRollback, Is.True);
        });
        var ex = Fails(Minimal.Replace("name: tiny", "name: tiny\nprogression: {staged_rollback: maybe}"));
        Assert.That(ex.Errors.Single().ToString(), Is.EqualTo("plans/test.yaml:3: progression.staged_rollback: expected true or false, got 'maybe'"));
    }

    [TestCase("    gates: [release_gate]", "stages[1].gates[0]", "a release gate is a mapping with kind: release_gate")]
    [TestCase("    gates: [{kind: detector, aprover: ops}]", "stages[1].gates[0].aprover", "unknown field 'aprover' (did you mean 'approver'?)")]
    [TestCase("    gates: [{kind: manual}]", "stages[1].gates[0].kind", "got 'manual'")]
    [TestCase("    gates: [5]", "stages[1].gates[0]", "expected text or a mapping, got 5")]
    [TestCase("    gates: [{kind: release_gate, artifacts: [a.json]}]", "stages[1].gates[0].stage", "at 5 %, not one of the release gate's stages 10, 25, 50, 100")]
    [TestCase("    exit_criteria: [{metric: quality, op: \"<\"}]", "stages[1].exit_criteria[0].value", "missing required field 'value'")]
    [TestCase("    exit_criteria: [\"p95 is low\"]", "stages[1].exit_criteria[0]", "expected '<metric> <op> <value> [for <duration>]'")]
    public void A_wrong_gate_or_criterion_is_named_once_with_what_was_expected(string line, string path, string expected)
    {
        var ex = Fails(Minimal + "\n" + line + "\n");
        var error = ex.Errors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(error.Path, Is.EqualTo(path));
            Assert.That(error.Message, Does.Contain(expected));
            Assert.That(error.Line, Is.EqualTo(12));
        });
    }

    [Test]
    public void A_duplicate_field_is_an_error()
    {
        var yaml = Fails(Minimal.Replace("duration: 2d", "duration: 2d\nduration: 3d"));
        Assert.That(yaml.Errors.Single().ToString(), Does.StartWith("plans/test.yaml:4: YAML syntax error").And.Contain("duration"));
        var json = Fails("{\n  \"name\": \"j\",\n  \"name\": \"k\",\n  \"duration\": \"1d\",\n  \"stages\": [{\"name\": \"s\", \"percent\": 0}]\n}", json: true);
        Assert.That(json.Errors.Single().ToString(), Is.EqualTo("plans/test.yaml:3: name: duplicate field 'name'"));
    }
}
