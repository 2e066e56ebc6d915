using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CanarySim.Cli;
using CanarySim.Prometheus.Tests.Infrastructure;

namespace CanarySim.Prometheus.Tests.EndToEnd;

/// <summary>
/// The whole loop with nothing faked: samples posted to a guard service, a real Prometheus scraping its <c>/metrics</c>
/// every second, and the detector reading the v2 p95 from Prometheus (the check's <c>source.prometheus</c>) rolling v2
/// back — through <c>serve --prometheus</c>'s guard and through <c>canarysim evaluate --prometheus</c>, with the published
/// <c>fixtures/policies/prometheus-fleet.json</c> (p95 latency, error and fallback rates, quality drop).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RollbackFromPrometheusTests
{
    private GuardServer _guard = null!;
    private PrometheusServer _prometheus = null!;
    private string _directory = null!;
    private string _policy = null!;

    [OneTimeSetUp]
    public async Task StartGuardAndPrometheus()
    {
        _directory = Path.Combine(Path.GetTempPath(), "canarysim-prometheus-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _policy = RepositoryFile("fixtures/policies/prometheus-fleet.json");
        // The guard must know Prometheus's URL and Prometheus the guard's: the port is chosen first, and chosen again (with
        // a new guard) in the rare case another process of the run takes it before Prometheus listens on it.
        PrometheusServer? prometheus = null;
        for (var attempt = 1; prometheus is null; attempt++)
        {
            var port = PrometheusServer.FreePort();
            _guard = await GuardServer.StartAsync(o =>
            {
                o.PolicyFile = _policy;
                o.PrometheusUrl = $"http://127.0.0.1:{port}";
            });
            try
            {
                prometheus = await PrometheusServer.StartAsync(port, _guard.Target);
            }
            catch (PortTakenException) when (attempt < PrometheusServer.PortAttempts)
            {
                await _guard.DisposeAsync();
            }
        }
        _prometheus = prometheus;

        // rate() needs the series seen before the regression: a healthy warm-up first, scraped, then the slow v2 runs.
        await _guard.PostSamplesAsync(Runs(10, v1Ms: 800, v2Ms: 900));
        await _prometheus.WaitForAsync("sum(canarysim_requests_total{engine=\"v2\"})", v => v == 10, "the warm-up runs");
        await _guard.PostSamplesAsync(Runs(40, v1Ms: 800, v2Ms: 2500));
        await _prometheus.WaitForAsync("sum(canarysim_requests_total{engine=\"v2\"})", v => v == 50, "the slow v2 runs");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _prometheus.DisposeAsync();
        await _guard.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CanarySim.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }
        throw new InvalidOperationException("the repository root (CanarySim.sln) was not found above " + TestContext.CurrentContext.TestDirectory);
    }

    private static string Runs(int n, double v1Ms, double v2Ms) => "[" + string.Join(",", Enumerable.Range(0, n).SelectMany(i => new[]
    {
        $$"""{"engine":"v1","latency_ms":{{(v1Ms + i % 5).ToString(CultureInfo.InvariantCulture)}},"quality":95,"cost_cents":1.4,"agent":"inbox_triage"}""",
        $$"""{"engine":"v2","latency_ms":{{(v2Ms + i % 5).ToString(CultureInfo.InvariantCulture)}},"quality":94,"cost_cents":1.5,"agent":"inbox_triage"}""",
    })) + "]";

    private string WritePolicy(string name, string query)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, $$$"""
            {
              "schema": "canarysim.policy/v2",
              "window": {"runs": 100},
              "checks": [
                {"name": "latency_prometheus", "metric": "latency_ms", "aggregate": "p95", "max": 1600, "action": "rollback",
                 "source": {"prometheus": "{{{query}}}"}}
              ]
            }
            """);
        return path;
    }

    private static (int Code, string Out, string Err, TimeSpan Took) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var watch = Stopwatch.StartNew();
        var code = CanarySimCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString(), watch.Elapsed);
    }

    [Test, Order(1)]
    public async Task Evaluate_with_prometheus_reports_the_breach_read_from_prometheus_and_exits_1()
    {
        var (code, stdout, stderr, took) = Cli("evaluate", "--prometheus", _prometheus.Url.ToString(), "--policy", _policy, "--json");

        TestContext.Out.WriteLine($"one Prometheus-backed evaluation through the CLI: {took.TotalMilliseconds:0} ms");
        Assert.That(code, Is.EqualTo(1), stdout + stderr);
        var verdict = JsonNode.Parse(stdout)!;
        Assert.That(verdict["verdict"]!.GetValue<string>(), Is.EqualTo("fail"));
        Assert.That(verdict["action"]!.GetValue<string>(), Is.EqualTo("rollback"));
        Assert.That(verdict["errors"]!.AsArray(), Is.Empty, "every fleet query returned one value");
        var breach = verdict["breaches"]!.AsArray().Single()!;
        Assert.That(breach["check"]!.GetValue<string>(), Is.EqualTo("latency_p95_fleet"));
        // 40 new v2 runs at 2.5 s (+0..4 ms) all fall in the (2.0, 2.5] bucket and a few in (2.5, 2.8]: the interpolated p95 lies in between.
        Assert.That(breach["value"]!.GetValue<double>(), Is.InRange(2000, 2800));
    }

    [Test, Order(2)]
    public async Task The_guard_serving_with_prometheus_rolls_v2_back_on_an_evaluation()
    {
        using (var ramp = await _guard.Client.PutAsync("/guard/config", new StringContent("""{"canary_pct": 20, "mode": "canary", "reason": "ramp"}""", Encoding.UTF8, "application/json")))
        {
            Assert.That((int)ramp.StatusCode, Is.EqualTo(200), await ramp.Content.ReadAsStringAsync());
        }

        var watch = Stopwatch.StartNew();
        using var response = await _guard.Client.PostAsync("/guard/evaluate", null);
        var took = watch.Elapsed;
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        TestContext.Out.WriteLine($"one Prometheus-backed evaluation in the guard (POST /guard/evaluate): {took.TotalMilliseconds:0} ms");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), result.ToJsonString());
        Assert.That(result["action_taken"]!.GetValue<string>(), Is.EqualTo("rollback"), result.ToJsonString());
        Assert.That(result["breaches"]!.AsArray().Select(b => b!["check"]!.GetValue<string>()), Is.EqualTo(new[] { "latency_p95_fleet" }));
        var status = (await _guard.Client.GetFromJsonAsync<JsonObject>("/guard/status"))!;
        Assert.That(status["settings"]!["kill_switch"]!.GetValue<bool>(), Is.True);
        Assert.That(status["settings"]!["canary_pct"]!.GetValue<double>(), Is.EqualTo(0));

        // Warm evaluations (code paths compiled, connection open): each still reads Prometheus.
        var warm = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            watch.Restart();
            using var again = await _guard.Client.PostAsync("/guard/evaluate", null);
            warm.Add(watch.Elapsed.TotalMilliseconds);
            var body = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.That(body["breaches"]!.AsArray().Select(b => b!["check"]!.GetValue<string>()), Is.EqualTo(new[] { "latency_p95_fleet" }), body.ToJsonString());
        }
        warm.Sort();
        TestContext.Out.WriteLine($"warm Prometheus-backed evaluations in the guard: median {warm[2]:0.0} ms, max {warm[4]:0.0} ms (5 runs)");
    }

    [TestCase("bad_query", "histogram_quantile(0.95, sum by (le) (rate(canarysim_request_duration_seconds_bucket[5m]))", "refused the query")]
    [TestCase("empty", "sum(canarysim_requests_total{engine=\\\"$engine\\\",agent=\\\"nobody\\\"})", "returned no series")]
    // last_over_time: the latest scraped value of each series even when the scrape just before the query failed (a scrape
    // that misses its 1 s timeout on a loaded machine marks the series stale, and a bare selector would then return none)
    [TestCase("multi_valued", "last_over_time(canarysim_sample_metric_count{engine=\\\"$engine\\\"}[5m])", "returned 8 series, expected 1")]
    [Order(3)]
    public void A_query_without_one_value_is_an_error_measurement_never_a_pass(string name, string query, string expected)
    {
        var policy = WritePolicy(name + ".json", query);

        var (code, stdout, stderr, _) = Cli("evaluate", "--prometheus", _prometheus.Url.ToString(), "--policy", policy, "--json");

        Assert.That(code, Is.EqualTo(1), "an error measurement must not exit as a pass\n" + stdout + stderr);
        var verdict = JsonNode.Parse(stdout)!;
        Assert.That(verdict["verdict"]!.GetValue<string>(), Is.Not.EqualTo("pass"));
        var error = verdict["errors"]!.AsArray().Single()!;
        Assert.That(error["check"]!.GetValue<string>(), Is.EqualTo("latency_prometheus"));
        Assert.That(error["message"]!.GetValue<string>(), Does.Contain(expected));
    }

    [Test, Order(4)]
    public void Prometheus_down_is_an_error_measurement_never_a_pass()
    {
        var down = PrometheusServer.DownUrl;

        var (code, stdout, stderr, _) = Cli("evaluate", "--prometheus", down, "--policy", _policy, "--json");

        Assert.That(code, Is.EqualTo(1), stdout + stderr);
        var verdict = JsonNode.Parse(stdout)!;
        Assert.That(verdict["verdict"]!.GetValue<string>(), Is.Not.EqualTo("pass"));
        var errors = verdict["errors"]!.AsArray();
        Assert.That(errors.Select(e => e!["check"]!.GetValue<string>()), Is.EqualTo(new[] { "latency_p95_fleet", "error_rate_fleet", "fallback_rate_fleet", "quality_drop_fleet" }));
        Assert.That(errors.Select(e => e!["message"]!.GetValue<string>()), Has.All.Contain($"prometheus at {down}/ failed"));
    }
}
