using System.Text.Json.Nodes;
using CanarySim.Core.Gating;
using CanarySim.Core.Rollout;

namespace CanarySim.Core.Tests.Rollout;

/// <summary>
/// Each value rule of a plan is written once, in the published schema: a plan file meets it through the schema, a plan
/// built in code through <see cref="PlanValidator"/> reading the same rule (<see cref="PlanSchema.Refuses"/>), with the
/// same message. The stage ladder of a release gate is written once, in <see cref="GateOptions.Stages"/>.
/// </summary>
public sealed class PlanRulesTests
{
    private const string Minimal = PlanLoaderTests.Minimal;

    private static RolloutPlan Plan => PlanLoader.Parse(Minimal, "code").Plan;

    private static string Loaded(string extra) =>
        Assert.Throws<PlanValidationException>(() => PlanLoader.Parse(Minimal.Replace("name: tiny", "name: tiny\n" + extra), "file"))!.Errors.Single().Message;

    private static PlanValidationError Built(RolloutPlan plan) => PlanValidator.Validate(plan).Single();

    [Test]
    public void A_value_out_of_range_gets_the_same_message_in_a_file_and_in_code()
    {
        var cases = new (string Yaml, Func<RolloutPlan, RolloutPlan> Code, string Path)[]
        {
            ("traffic: {unkeyed_share: 1.5}", p => p with { Traffic = p.Traffic with { UnkeyedShare = 1.5 } }, "traffic.unkeyed_share"),
            ("traffic: {requests: 0}", p => p with { Traffic = p.Traffic with { Requests = 0 } }, "traffic.requests"),
            ("traffic: {profile: bursty}", p => p with { Traffic = p.Traffic with { Profile = "bursty" } }, "traffic.profile"),
            ("traffic: {v2: {latency_sigma: 4}}", p => p with { Traffic = p.Traffic with { V2 = p.Traffic.V2 with { LatencySigma = 4 } } }, "traffic.v2.latency_sigma"),
            ("traffic: {v1: {latency_p50_ms: 0}}", p => p with { Traffic = p.Traffic with { V1 = p.Traffic.V1 with { LatencyP50Ms = 0 } } }, "traffic.v1.latency_p50_ms"),
            ("traffic: {v1: {quality_sd: -1}}", p => p with { Traffic = p.Traffic with { V1 = p.Traffic.V1 with { QualitySd = -1 } } }, "traffic.v1.quality_sd"),
            ("progression: {slow_down_factor: 0.5}", p => p with { Progression = p.Progression with { SlowDownFactor = 0.5 } }, "progression.slow_down_factor"),
            ("progression: {min_diffs_for_divergence: 0}", p => p with { Progression = p.Progression with { MinDiffsForDivergence = 0 } }, "progression.min_diffs_for_divergence"),
            ("rollback_triggers: [{check: latncy}]", p => p with { RollbackTriggers = [new RollbackTrigger { Check = "latncy" }] }, "rollback_triggers[0].check"),
            ("rollback_triggers: [{check: latency, action: panic}]", p => p with { RollbackTriggers = [new RollbackTrigger { Check = "latency", Action = "panic" }] }, "rollback_triggers[0].action"),
            ("rollback_triggers: [{check: latency, threshold: -1}]", p => p with { RollbackTriggers = [new RollbackTrigger { Check = "latency", Threshold = -1 }] }, "rollback_triggers[0].threshold"),
        };
        Assert.Multiple(() =>
        {
            foreach (var (yaml, code, path) in cases)
            {
                var built = Built(code(Plan));
                Assert.That(built.Path, Is.EqualTo(path), yaml);
                Assert.That(built.Message, Is.EqualTo(Loaded(yaml)), yaml);
            }
        });
    }

    [Test]
    public void Messages_name_the_rule_the_schema_states()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Built(Plan with { Traffic = Plan.Traffic with { UnkeyedShare = 1.5 } }).Message, Is.EqualTo("expected a number between 0 and 1, got 1.5"));
            Assert.That(Built(Plan with { Traffic = Plan.Traffic with { UnkeyedShare = double.NaN } }).Message, Is.EqualTo("expected a number, got NaN"));
            Assert.That(Built(Plan with { RollbackTriggers = [new RollbackTrigger { Check = "latncy" }] }).Message, Does.StartWith("expected one of min_samples, quality, latency").And.EndWith("got 'latncy' (did you mean 'latency'?)"));
            var stage = Built(Plan with { Stages = [Plan.Stages[0], Plan.Stages[1] with { Percent = -5 }] });
            Assert.That((stage.Path, stage.Message, stage.Line), Is.EqualTo(("stages[1].percent", "expected a percentage between 0 and 100, got -5", Plan.Stages[1].Line)));
        });
    }

    [Test]
    public void A_code_built_plan_within_every_rule_has_no_error() => Assert.That(PlanValidator.Validate(Plan), Is.Empty);

    [Test]
    public void The_schema_answers_only_for_fields_it_has()
    {
        Assert.That(PlanSchema.Refuses("traffic.v2.quality", 50), Is.Null);
        Assert.That(PlanSchema.Refuses("stages[].gates[].baseline_correction_rate", 2), Is.EqualTo("expected a number between 0 and 1, got 2"));
        Assert.That(PlanSchema.Refuses("traffic.v2.tokens", 1.5), Is.EqualTo("expected a whole number, got 1.5"));
        Assert.Throws<ArgumentException>(() => PlanSchema.Refuses("traffic.speed", 1));
    }

    [TestCase(30, "expected one of the release gate's stages 10, 25, 50, 100, got 30")]
    [TestCase(25, null)]
    public void A_release_gate_stage_is_judged_against_the_gates_own_ladder(int stage, string? expected)
    {
        var text = Minimal + "\n    gates: [{kind: release_gate, artifacts: [a.json], stage: " + stage + "}]\n";
        if (expected is null)
        {
            Assert.That(PlanLoader.Parse(text, "file").Plan.Stages[1].Gates[0].GateStage, Is.EqualTo(stage));
            return;
        }
        var error = Assert.Throws<PlanValidationException>(() => PlanLoader.Parse(text, "file"))!.Errors.Single();
        Assert.That((error.Path, error.Message, error.Line), Is.EqualTo(("stages[1].gates[0].stage", expected, 12)));
        Assert.That(new GateOptions().Stages, Is.EqualTo(new[] { 10, 25, 50, 100 }), "the ladder the message lists");
    }

    [Test]
    public void The_schemas_lists_are_the_names_core_acts_on()
    {
        // The published schema is a static file, so the names Core implements are listed there too; this keeps them equal.
        var defs = JsonNode.Parse(PlanSchema.Text)!["$defs"]!;
        string[] Enum(JsonNode node) => node["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Enum(defs["metric"]!), Is.EqualTo(RolloutMetrics.Names));
            Assert.That(Enum(defs["trigger"]!["properties"]!["action"]!), Is.EqualTo(Enum<VerdictAction>()));
            var detectorChecks = typeof(CheckNames).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
            Assert.That(Enum(defs["trigger"]!["properties"]!["check"]!), Is.SubsetOf(detectorChecks), "every trigger check is a check of the detector");
        });
    }

    private static string[] Enum<T>()
        where T : struct, System.Enum => System.Enum.GetValues<T>().Select(v => WireName.Of(v)).ToArray();
}
