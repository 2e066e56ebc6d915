using CanarySim.Cli;
using CanarySim.Prometheus.Tests.Infrastructure;

namespace CanarySim.Prometheus.Tests.EndToEnd;

/// <summary>Bad uses of <c>--prometheus</c> are usage errors (exit 2) naming what is wrong; nothing starts.</summary>
[TestFixture]
public sealed class PrometheusOptionsTests
{
    private string _directory = null!;
    private string _policy = null!;
    private string _token = null!;

    [SetUp]
    public void WriteFiles()
    {
        _directory = Path.Combine(Path.GetTempPath(), "canarysim-prometheus-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _policy = Path.Combine(_directory, "p.json");
        File.WriteAllText(_policy, """
            {"schema": "canarysim.policy/v2", "checks": [
              {"name": "errors_prometheus", "metric": "error", "aggregate": "rate", "max": 0.05, "action": "rollback",
               "source": {"prometheus": "sum(rate(canarysim_request_errors_total{engine=\"$engine\"}[5m])) / sum(rate(canarysim_requests_total{engine=\"$engine\"}[5m]))"}}
            ]}
            """);
        _token = Path.Combine(_directory, "token");
        File.WriteAllText(_token, GuardServer.Token);
    }

    [TearDown]
    public void DeleteFiles() => Directory.Delete(_directory, recursive: true);

    private static (int Code, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CanarySimCli.Run(args, stdout, stderr);
        return (code, stderr.ToString());
    }

    [Test]
    public void Evaluate_takes_samples_or_prometheus_not_both_nor_neither()
    {
        var samples = Path.Combine(_directory, "s.jsonl");
        File.WriteAllText(samples, """{"engine":"v2","at":"2026-02-19T10:00:00Z","latency_ms":812,"quality":93.5,"cost_cents":1.9}""");

        Assert.That(Cli("evaluate", "--policy", _policy), Is.EqualTo((2, "error: evaluate needs exactly one of --samples F.jsonl or --prometheus URL.\n")));
        Assert.That(Cli("evaluate", "--samples", samples, "--prometheus", "http://127.0.0.1:9090", "--policy", _policy).Code, Is.EqualTo(2));
    }

    [Test]
    public void Evaluate_with_prometheus_needs_a_policy_with_prometheus_checks_and_a_valid_url()
    {
        var plain = Path.Combine(_directory, "plain.json");
        File.WriteAllText(plain, """{"schema": "canarysim.policy/v2", "checks": [{"name": "latency", "metric": "latency_ms", "aggregate": "p95", "max": 1600, "action": "rollback"}]}""");

        Assert.That(Cli("evaluate", "--prometheus", "http://127.0.0.1:9090").Err, Does.Contain("--prometheus needs --policy P.json"));
        Assert.That(Cli("evaluate", "--prometheus", "http://127.0.0.1:9090", "--policy", plain).Err, Does.Contain("no check has a source.prometheus query"));
        var (code, err) = Cli("evaluate", "--prometheus", "127.0.0.1:9090", "--policy", _policy);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("'127.0.0.1:9090' is not a Prometheus server address: expected an absolute http(s) URL"));
    }

    [Test]
    public void Serve_refuses_a_bad_prometheus_url()
    {
        var (code, err) = Cli("serve", "--urls", "http://127.0.0.1:0", "--db", Path.Combine(_directory, "g.db"), "--ops-token-file", _token,
            "--policy", _policy, "--prometheus", "ftp://127.0.0.1:9090");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--prometheus: 'ftp://127.0.0.1:9090' is not a Prometheus server address"));
    }

    [Test]
    public void Serve_refuses_a_policy_that_reads_prometheus_without_a_server()
    {
        var (code, err) = Cli("serve", "--urls", "http://127.0.0.1:0", "--db", Path.Combine(_directory, "g.db"), "--ops-token-file", _token, "--policy", _policy);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("errors_prometheus").And.Contain("no Prometheus server was given (--prometheus URL)"));
    }
}
