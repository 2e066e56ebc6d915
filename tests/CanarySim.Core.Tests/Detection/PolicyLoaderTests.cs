using CanarySim.Core.Detection;
using CanarySim.Core.Judging;

namespace CanarySim.Core.Tests.Detection;

public sealed class PolicyLoaderTests
{
    [Test]
    public void Defaults_are_the_spec_numbers()
    {
        var o = PolicyLoader.Parse("{}");
        Assert.Multiple(() =>
        {
            Assert.That(o.WindowKind, Is.EqualTo(WindowKind.Count));
            Assert.That(o.WindowRuns, Is.EqualTo(100));
            Assert.That(o.WindowDuration, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(o.MinSamples, Is.EqualTo(30));
            Assert.That(o.QualityDropMax, Is.EqualTo(5.0));
            Assert.That(o.LatencyP95MaxMs, Is.EqualTo(1600));
            Assert.That(o.CostMaxCents, Is.EqualTo(3.0));
            Assert.That(o.ErrorRateMax, Is.EqualTo(0.05));
            Assert.That(o.ErrorRateSustainFor, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(o.LatencySustainedP95MaxMs, Is.EqualTo(5000));
            Assert.That(o.LatencySustainFor, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(o.CostSpikeFactor, Is.EqualTo(3.0));
            Assert.That(o.ComplaintsMax, Is.EqualTo(10));
            Assert.That(o.ComplaintsWindow, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(o.FallbackRateMax, Is.EqualTo(0.10));
            Assert.That(o.FallbackWindowRuns, Is.EqualTo(20));
            Assert.That((o.FailureLimit, o.InconclusiveLimit, o.ConsecutiveErrorLimit), Is.EqualTo((0, 0, 4)));
            Assert.That(o.StagedRollback, Is.False);
            Assert.That(o.Judge.Enabled, Is.False);
            Assert.That((o.Judge.Confidence, o.Judge.Tolerance, o.Judge.PassScore, o.Judge.MarginalScore), Is.EqualTo((0.98, 0.25, 95.0, 75.0)));
        });
    }

    [Test]
    public void Every_field_can_be_set()
    {
        var o = PolicyLoader.Parse("""
            {
              "description": "stricter policy", // comments are allowed
              "window_kind": "time", "window_duration": "10m", "window_runs": 500, "min_samples": 50,
              "quality_drop_max": 2.5, "latency_p95_max_ms": 1200, "cost_max_cents": 2,
              "error_rate_max": 0.02, "error_rate_sustain_for": "90s", "latency_sustained_p95_max_ms": 4000, "latency_sustain_for": "00:20:00",
              "cost_spike_factor": 2, "projected_cost_cents": 1.25, "complaints_max": 3, "complaints_window": "2h",
              "fallback_rate_max": 0.2, "fallback_window_runs": 50, "failure_limit": 2, "inconclusive_limit": 3, "consecutive_error_limit": 1,
              "staged_rollback": true, "staged_rollback_steps": 3, "reduce_traffic_factor": 0.25,
              "judge": { "confidence": 0.95, "tolerance": 0.1, "pass_score": 90, "marginal_score": 60, "group_weights": { "speed": 70 },
                         "metrics": [ { "name": "latency_ms", "group": "speed", "direction": "increase", "critical": true, "nan_strategy": "replace",
                                        "allowed_increase": 1.1, "critical_increase": 1.5 } ] }
            }
            """);
        Assert.Multiple(() =>
        {
            Assert.That(o.WindowKind, Is.EqualTo(WindowKind.Time));
            Assert.That(o.WindowDuration, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(o.ErrorRateSustainFor, Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.That(o.LatencySustainFor, Is.EqualTo(TimeSpan.FromMinutes(20)));
            Assert.That(o.ComplaintsWindow, Is.EqualTo(TimeSpan.FromHours(2)));
            Assert.That(o.ProjectedCostCents, Is.EqualTo(1.25));
            Assert.That((o.FailureLimit, o.InconclusiveLimit, o.ConsecutiveErrorLimit), Is.EqualTo((2, 3, 1)));
            Assert.That((o.StagedRollback, o.StagedRollbackSteps, o.ReduceTrafficFactor), Is.EqualTo((true, 3, 0.25)));
            Assert.That(o.Judge.GroupWeights["speed"], Is.EqualTo(70));
            var m = o.Judge.Metrics.Single();
            Assert.That((m.Name, m.EffectiveGroup, m.Direction, m.Critical, m.NanStrategy, m.AllowedIncrease, m.CriticalIncrease),
                Is.EqualTo(("latency_ms", "speed", MetricDirection.Increase, true, NanStrategy.Replace, 1.1, 1.5)));
        });
    }

    [TestCase("{\"min_sample\": 3}", "min_sample", "unknown field")]
    [TestCase("{\"min_samples\": \"many\"}", "min_samples", "expected an integer, got \"many\"")]
    [TestCase("{\"min_samples\": 0}", "min_samples", "between 1 and")]
    [TestCase("{\"error_rate_max\": 5}", "error_rate_max", "between 0 and 1")]
    [TestCase("{\"window_kind\": \"weekly\"}", "window_kind", "one of \"count\", \"time\"")]
    [TestCase("{\"error_rate_sustain_for\": \"soon\"}", "error_rate_sustain_for", "a duration like")]
    [TestCase("{\"judge\": {\"metrics\": [{\"name\": \"latency\"}]}}", "judge.metrics[0].name", "unknown metric 'latency'")]
    [TestCase("{\"judge\": {\"metrics\": [{\"name\": \"quality\", \"direction\": \"up\"}]}}", "judge.metrics[0].direction", "one of \"either\", \"increase\", \"decrease\"")]
    [TestCase("{\"judge\": {\"pass_score\": 70}}", "judge.marginal_score", "must not exceed")]
    public void Errors_name_the_file_and_the_field(string json, string field, string problem)
    {
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(json, "strict.json"));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Field, Is.EqualTo(field));
            Assert.That(ex.Message, Does.StartWith($"strict.json: field '{field}': "));
            Assert.That(ex.Message, Does.Contain(problem));
        });
    }

    [Test]
    public void Malformed_json_names_the_file_and_line()
    {
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse("{\n  \"min_samples\": 3,\n  oops\n}", "p.json"));
        Assert.That(ex!.Message, Does.StartWith("p.json: malformed JSON at line 3, byte 3: 'o' is an invalid start of a property name. Expected a '\"'."));
        Assert.That(ex.Message, Does.Not.Contain("LineNumber"), "the position is said once, one-based");
    }

    [Test]
    public void A_stream_is_read_as_utf8_and_errors_name_its_source()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"min_samples\": -1}"));
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(stream, "policies/p.json"));
        Assert.That(ex!.Message, Does.StartWith("policies/p.json: field 'min_samples'"));
    }

    [TestCase("250ms", 250)]
    [TestCase("30s", 30_000)]
    [TestCase("5m", 300_000)]
    [TestCase("1.5h", 5_400_000)]
    [TestCase("00:05:00", 300_000)]
    public void Durations_parse(string text, double ms)
    {
        Assert.That(PolicyLoader.TryParseDuration(text, out var d), Is.True);
        Assert.That(d.TotalMilliseconds, Is.EqualTo(ms));
    }
}
