using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CanarySim.Prometheus.Tests.Infrastructure;

namespace CanarySim.Prometheus.Tests.EndToEnd;

/// <summary>
/// A guard serving with <c>--prometheus</c> whose Prometheus is down: each evaluation is an error measurement that
/// holds (never a pass), and past the policy's consecutive-error limit the guard rolls back.
/// </summary>
[TestFixture]
public sealed class PrometheusDownTests
{
    [Test]
    public async Task Errors_hold_then_roll_back_past_the_consecutive_error_limit()
    {
        var directory = Path.Combine(Path.GetTempPath(), "canarysim-prometheus-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var policy = Path.Combine(directory, "p.json");
        await File.WriteAllTextAsync(policy, """
            {"schema": "canarysim.policy/v2", "consecutive_error_limit": 1, "checks": [
              {"name": "latency_p95_fleet", "metric": "latency_ms", "aggregate": "p95", "max": 1600, "action": "rollback",
               "source": {"prometheus": "histogram_quantile(0.95, sum by (le) (rate(canarysim_request_duration_seconds_bucket{engine=\"$engine\"}[5m]))) * 1000"}}
            ]}
            """);
        var down = PrometheusServer.DownUrl;
        await using var guard = await GuardServer.StartAsync(o =>
        {
            o.PolicyFile = policy;
            o.PrometheusUrl = down;
        });
        using (var ramp = await guard.Client.PutAsync("/guard/config", new StringContent("""{"canary_pct": 20, "mode": "canary", "reason": "ramp"}""", Encoding.UTF8, "application/json")))
        {
            Assert.That((int)ramp.StatusCode, Is.EqualTo(200));
        }

        var first = await EvaluateAsync(guard);
        var second = await EvaluateAsync(guard);

        Assert.Multiple(() =>
        {
            Assert.That(first["verdict"]!.GetValue<string>(), Is.EqualTo("inconclusive"), first.ToJsonString());
            Assert.That(first["action_taken"]!.GetValue<string>(), Is.EqualTo("hold"));
            Assert.That(first["errors"]!.AsArray().Single()!["message"]!.GetValue<string>(), Does.Contain($"prometheus at {down}/ failed"));
            Assert.That(second["action_taken"]!.GetValue<string>(), Is.EqualTo("rollback"), second.ToJsonString());
            Assert.That(second["change"]!.ToJsonString(), Does.Contain("metric_source"));
        });
        var status = (await guard.Client.GetFromJsonAsync<JsonObject>("/guard/status"))!;
        Assert.That(status["settings"]!["kill_switch"]!.GetValue<bool>(), Is.True);
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<JsonObject> EvaluateAsync(GuardServer guard)
    {
        using var response = await guard.Client.PostAsync("/guard/evaluate", null);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
