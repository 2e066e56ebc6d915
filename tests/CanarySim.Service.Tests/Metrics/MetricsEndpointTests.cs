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

    [Test]
    public async Task Ingested_samples_export_request_counts_errors_fallbacks_latency_histogram_and_sample_metrics_by_engine_and_agent()
    {
        using var posted = await Host.Authorized.PostAsync("/guard/samples", GuardHost.Json("""
            [{"engine":"v2","latency_ms":1550,"quality":90,"cost_cents":2,"agent":"SICK_CALLER"},
             {"engine":"v2","latency_ms":1650,"quality":80,"cost_cents":4,"error":true,"agent":"SICK_CALLER"},
             {"engine":"v2","latency_ms":3100,"quality":70,"cost_cents":1,"fallback":true,"tokens":1200,"metrics":{"llm_call":true,"steps":4}},
             {"engine":"v1","latency_ms":900,"quality":95,"cost_cents":1}]
            """));
        Assert.That((int)posted.StatusCode, Is.EqualTo(200), await posted.Content.ReadAsStringAsync());

        var text = await ScrapeAsync();
        var lines = text.Split('\n');
        double Value(string series) => double.Parse(lines.Single(l => l.StartsWith(series + " ", StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Multiple(() =>
        {
            Assert.That(Value("canarysim_requests_total{engine=\"v2\",agent=\"SICK_CALLER\"}"), Is.EqualTo(2));
            Assert.That(Value("canarysim_requests_total{engine=\"v2\",agent=\"\"}"), Is.EqualTo(1));
            Assert.That(Value("canarysim_requests_total{engine=\"v1\",agent=\"\"}"), Is.EqualTo(1));
            Assert.That(Value("canarysim_request_errors_total{engine=\"v2\",agent=\"SICK_CALLER\"}"), Is.EqualTo(1));
            Assert.That(Value("canarysim_request_fallbacks_total{engine=\"v2\",agent=\"\"}"), Is.EqualTo(1));
            // Present at 0 from the first run, so error-rate queries answer 0 instead of no series.
            Assert.That(Value("canarysim_request_errors_total{engine=\"v1\",agent=\"\"}"), Is.EqualTo(0));
            Assert.That(Value("canarysim_request_fallbacks_total{engine=\"v1\",agent=\"\"}"), Is.EqualTo(0));
            // Bounds sit on the policy thresholds: 1550 ms is under le=1.6, 1650 ms is not; 3100 ms is over le=3.
            Assert.That(Value("canarysim_request_duration_seconds_bucket{engine=\"v2\",agent=\"SICK_CALLER\",le=\"1.5\"}"), Is.EqualTo(0));
            Assert.That(Value("canarysim_request_duration_seconds_bucket{engine=\"v2\",agent=\"SICK_CALLER\",le=\"1.6\"}"), Is.EqualTo(1));
            Assert.That(Value("canarysim_request_duration_seconds_bucket{engine=\"v2\",agent=\"SICK_CALLER\",le=\"1.7\"}"), Is.EqualTo(2));
            Assert.That(Value("canarysim_request_duration_seconds_bucket{engine=\"v2\",agent=\"\",le=\"3\"}"), Is.EqualTo(0));
            Assert.That(Value("canarysim_request_duration_seconds_bucket{engine=\"v2\",agent=\"\",le=\"3.2\"}"), Is.EqualTo(1));
            Assert.That(Value("canarysim_request_duration_seconds_sum{engine=\"v2\",agent=\"SICK_CALLER\"}"), Is.EqualTo(3.2).Within(1e-9));
            Assert.That(Value("canarysim_sample_metric_sum{engine=\"v2\",agent=\"SICK_CALLER\",metric=\"quality\"}"), Is.EqualTo(170));
            Assert.That(Value("canarysim_sample_metric_count{engine=\"v2\",agent=\"SICK_CALLER\",metric=\"quality\"}"), Is.EqualTo(2));
            Assert.That(Value("canarysim_sample_metric_sum{engine=\"v2\",agent=\"SICK_CALLER\",metric=\"error\"}"), Is.EqualTo(1));
            Assert.That(Value("canarysim_sample_metric_sum{engine=\"v2\",agent=\"\",metric=\"tokens\"}"), Is.EqualTo(1200));
            Assert.That(Value("canarysim_sample_metric_sum{engine=\"v2\",agent=\"\",metric=\"llm_call\"}"), Is.EqualTo(1));
            Assert.That(Value("canarysim_sample_metric_sum{engine=\"v2\",agent=\"\",metric=\"steps\"}"), Is.EqualTo(4));
        });
        Assert.That(text, Does.Contain("# TYPE canarysim_request_duration_seconds histogram"));
    }

    [Test]
    public async Task A_sample_metric_that_is_not_a_number_or_bool_is_refused_naming_it()
    {
        using var posted = await Host.Authorized.PostAsync("/guard/samples", GuardHost.Json("""
            {"engine":"v2","latency_ms":900,"quality":90,"cost_cents":1,"metrics":{"steps":"four"},"tags":{"region":"eu"}}
            """));

        Assert.That((int)posted.StatusCode, Is.EqualTo(400));
        Assert.That(await posted.Content.ReadAsStringAsync(), Does.Contain("metrics.steps: expected a number or true/false"));
    }

    [Test]
    public async Task A_scraper_asking_for_OpenMetrics_gets_OpenMetrics()
    {
        await ExerciseAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.ParseAdd("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

        var response = await Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/openmetrics-text"));
        Assert.That(text.TrimEnd(), Does.EndWith("# EOF"));
        Assert.That(text, Does.Contain("# TYPE planner_selection counter"));
    }
}
