namespace CanarySim.Core.Tests.Detection;

public sealed class PolicyV2Tests
{
    private static string Fixture(string relative)
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CanarySim.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir!.FullName, relative);
    }

    private static string Describe(CheckDefinition c) =>
        $"{c.Name}|{c.Metric}|{c.Aggregate}|{c.Engine}|{string.Join(",", c.Where.Select(p => p.Key + "=" + p.Value))}|{c.Compare}|{c.Max}|{c.Min}|{c.Sustain}|{c.Window}|{c.MinSamples}|{c.Action}|{c.Reason}|{c.Source}|{c.Baseline}|{c.IfNoBaseline}|{c.FailureLimit}|{c.InconclusiveLimit}|{c.ConsecutiveErrorLimit}";

    private static string V2(string checks, string extra = "") =>
        $$"""{"schema": "canarysim.policy/v2", {{extra}} "checks": [{{checks}}]}""";

    [Test]
    public void The_default_policy_file_is_exactly_the_built_in_checks_and_is_the_embedded_copy()
    {
        var text = File.ReadAllText(Fixture("fixtures/policies/default.json"));
        Assert.That(PolicyLoader.DefaultPolicyJson, Is.EqualTo(text));
        var loaded = PolicyLoader.Parse(text, "default.json");
        var builtIn = new DetectorOptions();
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Checks!.Select(Describe), Is.EqualTo(DefaultChecks.From(builtIn).Select(Describe)));
            Assert.That(loaded.Window, Is.EqualTo(builtIn.Window));
            Assert.That(loaded.MinSamples, Is.EqualTo(builtIn.MinSamples));
            Assert.That((loaded.FailureLimit, loaded.InconclusiveLimit, loaded.ConsecutiveErrorLimit), Is.EqualTo((0, 0, 4)));
            Assert.That(loaded.Checks!.Select(c => c.Name), Is.EqualTo(new[]
            {
                "policy_violation", "quality", "latency", "cost", "error_rate", "latency_sustained", "cost_spike", "complaints", "fallback_rate",
            }));
        });
    }

    [Test]
    public void The_published_schema_is_the_one_the_loader_applies()
    {
        Assert.That(PolicySchema.Text, Is.EqualTo(File.ReadAllText(Fixture("fixtures/policies/schema/policy.v2.schema.json"))));
    }

    [Test]
    public void Every_shipped_policy_loads()
    {
        foreach (var file in Directory.GetFiles(Fixture("fixtures/policies"), "*.json"))
        {
            Assert.DoesNotThrow(() => PolicyLoader.Parse(File.ReadAllText(file), file), file);
        }
    }

    [Test]
    public void The_default_policy_file_and_the_built_in_policy_give_the_same_verdicts()
    {
        var fromFile = PolicyLoader.Parse(PolicyLoader.DefaultPolicyJson, "default.json");
        var random = new Random(7);
        for (var round = 0; round < 40; round++)
        {
            var clock = new FakeTimeProvider(TestClock.Epoch);
            var store = new InMemoryMetricsStore(clock);
            var builtIn = new RegressionDetector(store, null, clock);
            var declared = new RegressionDetector(store, fromFile, clock);
            for (var minute = 0; minute < 15; minute++)
            {
                store.AddRange(Samples.Many(random.Next(0, 40), Engine.V1, clock.GetUtcNow(), (_, s) => s with { CostCents = random.Next(0, 3) }));
                store.AddRange(Samples.Many(random.Next(0, 40), Engine.V2, clock.GetUtcNow(), (_, s) => s with
                {
                    LatencyMs = random.Next(100, 7000),
                    Quality = random.Next(80, 100),
                    CostCents = random.Next(0, 6),
                    Error = random.NextDouble() < 0.06,
                    Fallback = random.NextDouble() < 0.1,
                    Complaint = random.NextDouble() < 0.05,
                    PolicyViolation = random.NextDouble() < 0.002,
                }));
                var a = VerdictJson.Serialize(builtIn.Evaluate());
                var b = VerdictJson.Serialize(declared.Evaluate());
                Assert.That(b, Is.EqualTo(a), $"round {round}, minute {minute}");
                clock.Advance(TimeSpan.FromMinutes(1));
            }
        }
    }

    [Test]
    public void A_flat_policy_keeps_loading_and_converts_to_the_same_checks_with_its_numbers()
    {
        var o = PolicyLoader.Parse(File.ReadAllText(Fixture("fixtures/policies/rollout-playbook.json")), "rollout-playbook.json");
        var checks = DefaultChecks.From(o);
        Assert.Multiple(() =>
        {
            Assert.That(o.Checks, Is.Null);
            Assert.That(checks.Single(c => c.Name == "cost_spike").Baseline, Is.EqualTo(1.0));
            Assert.That(checks.Single(c => c.Name == "latency").Max, Is.EqualTo(3_600_000));
            Assert.That(checks.Single(c => c.Name == "error_rate").Sustain, Is.EqualTo(TimeSpan.FromMinutes(5)));
        });
    }

    [Test]
    public void Every_field_is_read()
    {
        var o = PolicyLoader.Parse(V2("""
            {"name": "llm_rate_sick_caller", "metric": "llm_call", "aggregate": "rate", "engine": "v1", "where": {"agent": "SICK_CALLER"},
             "compare": "ratio", "max": 1.5, "min": 0.5, "sustain": "15m", "window": {"duration": "30m"}, "min_samples": 5, "action": "pause",
             "reason": "{name}: {value}", "baseline": 0.2, "if_no_baseline": "skip", "failure_limit": 1, "inconclusive_limit": 2, "consecutive_error_limit": 3},
            {"name": "p90", "metric": "latency_ms", "aggregate": "p90", "max": 3000, "source": {"prometheus": "up{engine=\"$engine\"}"}, "action": "rollback"}
            """, "\"window\": {\"duration\": \"10m\"}, \"min_samples\": 12, \"failure_limit\": 2, \"staged_rollback\": true,"), "p.json");
        var c = o.Checks![0];
        Assert.Multiple(() =>
        {
            Assert.That(o.Window, Is.EqualTo(WindowSpec.LastDuration(TimeSpan.FromMinutes(10))));
            Assert.That((o.MinSamples, o.FailureLimit, o.StagedRollback), Is.EqualTo((12, 2, true)));
            Assert.That((c.Metric, c.Aggregate, c.Engine, c.Where["agent"], c.Compare), Is.EqualTo(("llm_call", CheckAggregate.Rate, Engine.V1, "SICK_CALLER", CheckCompare.Ratio)));
            Assert.That((c.Max, c.Min, c.Sustain, c.Window, c.MinSamples), Is.EqualTo((1.5, 0.5, TimeSpan.FromMinutes(15), WindowSpec.LastDuration(TimeSpan.FromMinutes(30)), 5)));
            Assert.That((c.Action, c.Reason, c.Baseline, c.IfNoBaseline), Is.EqualTo((VerdictAction.Pause, "{name}: {value}", 0.2, MissingBaseline.Skip)));
            Assert.That((c.FailureLimit, c.InconclusiveLimit, c.ConsecutiveErrorLimit), Is.EqualTo((1, 2, 3)));
            Assert.That(o.Checks[1].Source!.Prometheus, Is.EqualTo("up{engine=\"$engine\"}"));
        });
    }

    [TestCase("""{"name": "a", "metric": "x", "aggregate": "p42", "max": 1, "action": "rollback"}""", "checks[0] (a).aggregate", "expected one of mean, min, max, sum, count, rate, per_hour, p50, p90, p95, p99, got \"p42\"")]
    [TestCase("""{"name": "a", "metric": "x", "aggregate": "mean", "action": "rollback"}""", "checks[0] (a)", "max")]
    [TestCase("""{"name": "a", "metric": "x", "aggregate": "mean", "max": 1, "action": "rollback", "maxx": 2}""", "checks[0] (a).maxx", "unknown field")]
    [TestCase("""{"name": "a", "metric": "x", "aggregate": "mean", "max": 1, "action": "explode"}""", "checks[0] (a).action", "expected one of none, hold")]
    [TestCase("""{"name": "a", "metric": "x", "aggregate": "mean", "max": "1", "action": "rollback"}""", "checks[0] (a).max", "got \"1\"")]
    [TestCase("""{"name": "a", "metric": "x", "aggregate": "mean", "max": 1, "action": "rollback"}, {"name": "a", "metric": "y", "aggregate": "sum", "max": 1, "action": "hold"}""", "checks[1] (a).name", "duplicate check name")]
    [TestCase("""{"name": "a", "metric": "x", "aggregate": "mean", "max": 1, "sustain": "soon", "action": "rollback"}""", "checks[0] (a).sustain", "soon")]
    [TestCase("""{"name": "a", "metric": "*", "aggregate": "mean", "max": 1, "action": "rollback"}""", "checks[0] (a).metric", "judge")]
    public void A_bad_policy_is_refused_naming_the_file_the_check_and_the_field(string checks, string field, string problem)
    {
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(V2(checks), "bad.json"))!;
        Assert.That(ex.Message, Does.StartWith($"bad.json: field '{field}"));
        Assert.That(ex.Message, Does.Contain(problem));
    }

    [Test]
    public void A_where_on_a_tag_no_sample_carries_is_fine_but_an_unknown_top_level_field_is_not()
    {
        Assert.DoesNotThrow(() => PolicyLoader.Parse(V2("""{"name": "a", "metric": "x", "aggregate": "mean", "where": {"planet": "mars"}, "max": 1, "action": "hold"}"""), "p.json"));
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(V2("", "\"windw\": {\"runs\": 5},"), "p.json"))!;
        Assert.That(ex.Message, Does.StartWith("p.json: field 'windw': unknown field"));
    }

    [Test]
    public void An_unknown_schema_name_is_refused()
    {
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse("""{"schema": "canarysim.policy/v3", "checks": []}""", "p.json"))!;
        Assert.That(ex.Message, Is.EqualTo("p.json: field 'schema': expected \"canarysim.policy/v2\", got \"canarysim.policy/v3\""));
    }
}
