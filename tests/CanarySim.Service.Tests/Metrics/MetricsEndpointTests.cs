using System.Net;
using CanarySim.Service.Tests.Infrastructure;

namespace CanarySim.Service.Tests.Metrics;

[TestFixture]
public sealed class MetricsEndpointTests : GuardHostFixture
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Guard:BackgroundEvaluation"] = "false";

    private async Task<string> ScrapeAsync()
    {
        var response = await Host.Client.GetAsync("/metrics");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Does.StartWith("text/plain").And.Contain("version=0.0.4"));
        return await response.Content.ReadAsStringAsync();
    }

    private async Task ExerciseAsync()
    {
        await Host.PutConfigAsync("""{"canary_pct": 40, "reason": "ramp"}""");
        for (var i = 0; i < 20; i++)
        {
            await Host.Authorized.PostAsync("/guard/route", GuardHost.Json($$"""{"session_id":"s-{{i}}"}"""));
        }
        await Host.PostSamplesAsync(GuardHost.Samples(35, v2Quality: 80));
        await Host.Authorized.PostAsync("/guard/samples", GuardHost.Json("""{"engine":"v2","latency_ms":1,"quality":90,"cost_cents":1,"fallback":true}"""));
        await Host.Authorized.PostAsync("/guard/diffs", GuardHost.Json("""[{"agent_v1":"inbox_triage","agent_v2":"inbox_triage","changed":false,"count":40},{"agent_v1":"knowledge_update","agent_v2":"knowledge_validate","changed":true},{"agent_v1":"knowledge_update","agent_v2":"knowledge_validate","changed":true,"count":2}]"""));
        await Host.Authorized.PostAsync("/guard/evaluate", null);
        await Host.Authorized.PostAsync("/guard/route", GuardHost.Json("""{"session_id":"after"}"""));
        await Host.Client.PutAsync("/guard/config", GuardHost.Json("{}"));
    }

    [Test]
    public async Task Counters_and_gauges_follow_what_happened()
    {
        await ExerciseAsync();

        var text = await ScrapeAsync();
        var lines = text.Split('\n');
        long Value(string series) => (long)double.Parse(lines.Single(l => l.StartsWith(series + " ", StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        var routedV1 = lines.Where(l => l.StartsWith("planner_selection_total{planner=\"v1\"", StringComparison.Ordinal)).Sum(l => long.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        var routedV2 = lines.Where(l => l.StartsWith("planner_selection_total{planner=\"v2\"", StringComparison.Ordinal)).Sum(l => long.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Multiple(() =>
        {
            Assert.That(routedV1 + routedV2, Is.EqualTo(21));
            Assert.That(Value("planner_selection_total{planner=\"v1\",reason=\"kill_switch\"}"), Is.EqualTo(1));
            Assert.That(Value("planner_rollback_total{actor=\"auto\",kind=\"rollback\"}"), Is.EqualTo(1));
            Assert.That(Value("planner_kill_switch"), Is.EqualTo(1));
            Assert.That(Value("planner_canary_pct"), Is.EqualTo(0));
            Assert.That(Value("planner_router_mode{mode=\"canary\"}"), Is.EqualTo(1));
            Assert.That(Value("planner_fallback_total{source=\"samples\"}"), Is.EqualTo(1));
            Assert.That(Value("guard_evaluations_total{verdict=\"fail\",action=\"rollback\",trigger=\"api\"}"), Is.EqualTo(1));
            Assert.That(Value("guard_samples_ingested_total{engine=\"v2\"}"), Is.EqualTo(36));
            Assert.That(Value("guard_rejected_requests_total{endpoint=\"/guard/config\",status=\"401\"}"), Is.EqualTo(1));
            Assert.That(Value("guard_rollback_state{state=\"rolled_back\"}"), Is.EqualTo(1));
            Assert.That(Value("planner_decision_diff_total{agent_v1=\"inbox_triage\",agent_v2=\"inbox_triage\",changed=\"False\"}"), Is.EqualTo(40));
            Assert.That(Value("planner_decision_diff_total{agent_v1=\"knowledge_update\",agent_v2=\"knowledge_validate\",changed=\"True\"}"), Is.EqualTo(3));
        });
        Assert.That(text, Does.Contain("# TYPE planner_selection_total counter"));
        Assert.That(text, Does.Contain("# HELP planner_decision_diff_total "));
        Assert.That(text, Does.Contain("# TYPE planner_canary_pct gauge"));
    }

    [Test]
    public async Task Exposition_passes_promtool_check_metrics()
    {
        await ExerciseAsync();
        var text = await ScrapeAsync();

        var (code, output) = await Promtool.CheckMetricsAsync(text);

        Assert.That(code, Is.EqualTo(0), $"promtool check metrics failed:\n{output}\n---\n{text}");
    }
}
