using System.Text.Json;

namespace CanarySim.Core.Tests.Detection;

public sealed class VerdictJsonTests
{
    [Test]
    public void Verdict_json_uses_the_spec_snake_case_names_and_wire_values()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var detector = new RegressionDetector(Samples.Store(clock, shape: (i, s) => s with { LatencyMs = i < 94 ? 800 : 1850, Quality = 82 }), null, clock);
        using var doc = JsonDocument.Parse(VerdictJson.Serialize(detector.Evaluate()));
        var root = doc.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("verdict").GetString(), Is.EqualTo("fail"));
            Assert.That(root.GetProperty("action").GetString(), Is.EqualTo("rollback"));
            var breaches = root.GetProperty("breaches").EnumerateArray().ToList();
            Assert.That(breaches.Select(b => b.GetProperty("check").GetString()), Is.EqualTo(new[] { "quality", "latency" }));
            Assert.That(breaches[1].GetProperty("value").GetDouble(), Is.EqualTo(1850));
            Assert.That(breaches[1].GetProperty("threshold").GetDouble(), Is.EqualTo(1600));
            Assert.That(breaches[1].GetProperty("reason").GetString(), Is.EqualTo("latency (V2 p95: 1850ms > 1600ms)"));
            Assert.That(root.GetProperty("samples").GetProperty("v1").GetInt32(), Is.EqualTo(100));
            Assert.That(root.GetProperty("samples").GetProperty("v2").GetInt32(), Is.EqualTo(100));
            var v2 = root.GetProperty("v2");
            foreach (var name in new[] { "count", "mean_quality", "p50_latency_ms", "p95_latency_ms", "p99_latency_ms", "mean_cost_cents", "error_rate", "fallback_rate", "fallback_rate_rolling", "policy_violations", "complaints_per_hour" })
            {
                Assert.That(v2.TryGetProperty(name, out _), Is.True, name);
            }
            Assert.That(root.TryGetProperty("judge", out _), Is.False, "judge is omitted when off");
        });
    }

    [Test]
    public void Insufficient_data_and_reduce_traffic_have_snake_case_wire_names()
    {
        Assert.That(JsonSerializer.Serialize(VerdictOutcome.InsufficientData), Is.EqualTo("\"insufficient_data\""));
        Assert.That(JsonSerializer.Serialize(VerdictAction.ReduceTraffic), Is.EqualTo("\"reduce_traffic\""));
        Assert.That(JsonSerializer.Serialize(VerdictAction.ManualReview), Is.EqualTo("\"manual_review\""));
    }

    [Test]
    public void Verdict_round_trips()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var v = new RegressionDetector(Samples.Store(clock, shape: (_, s) => s with { Quality = 82 }), null, clock).Evaluate();
        var back = VerdictJson.Deserialize(VerdictJson.Serialize(v));
        Assert.That(back.Breaches, Is.EqualTo(v.Breaches));
        Assert.That(back.V2, Is.EqualTo(v.V2));
        Assert.That((back.Outcome, back.Action, back.Samples, back.At), Is.EqualTo((v.Outcome, v.Action, v.Samples, v.At)));
    }
}
