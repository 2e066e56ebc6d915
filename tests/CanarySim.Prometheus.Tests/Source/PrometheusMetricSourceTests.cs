using CanarySim.Metrics.Prometheus;
using CanarySim.Prometheus.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Answer = CanarySim.Prometheus.Tests.Infrastructure.StubPrometheus.Answer;

namespace CanarySim.Prometheus.Tests.Source;

/// <summary>The source against a stub of Prometheus's query API: one value, or an error saying what went wrong.</summary>
[TestFixture]
public sealed class PrometheusMetricSourceTests
{
    private const string Query = "sum(rate(canarysim_request_errors_total{engine=\"v2\"}[5m]))";
    private StubPrometheus _stub = null!;

    [SetUp]
    public async Task StartStub() => _stub = await StubPrometheus.StartAsync();

    [TearDown]
    public async Task StopStub() => await _stub.DisposeAsync();

    private PrometheusMetricSource Source(Uri? server = null, TimeSpan? timeout = null, int retries = 2, TimeProvider? time = null) => new(
        new PrometheusSourceOptions { Server = server ?? _stub.Url, AttemptTimeout = timeout ?? TimeSpan.FromSeconds(5), MaxRetryAttempts = retries, RetryDelay = TimeSpan.Zero },
        time ?? TimeProvider.System);

    private static async Task<PrometheusQueryException> FailureOf(PrometheusMetricSource source)
    {
        using (source)
        {
            try
            {
                var value = await source.QueryAsync(Query);
                Assert.Fail($"expected an error, got the value {value}");
            }
            catch (PrometheusQueryException ex)
            {
                return ex;
            }
        }
        throw new InvalidOperationException("unreachable");
    }

    [Test]
    public async Task One_series_gives_its_value_and_the_query_is_sent_as_written()
    {
        _stub.Then(Answer.Vector("0.0625"));
        using var source = Source();

        var value = await source.QueryAsync(Query);

        Assert.That(value, Is.EqualTo(0.0625));
        Assert.That(_stub.Queries, Is.EqualTo(new[] { Query }));
    }

    [Test]
    public async Task A_scalar_result_gives_its_value()
    {
        _stub.Then(Answer.Json(200, """{"status":"success","data":{"resultType":"scalar","result":[1771495200.5,"1650.5"]}}"""));
        using var source = Source();

        Assert.That(await source.QueryAsync("scalar(vector(1650.5))"), Is.EqualTo(1650.5));
    }

    [Test]
    public async Task A_quantile_beyond_the_last_bucket_is_positive_infinity_not_an_error()
    {
        // histogram_quantile answers +Inf when the rank falls in the +Inf bucket: a value over any max, so a breach.
        _stub.Then(Answer.Vector("+Inf"));
        using var source = Source();

        Assert.That(await source.QueryAsync(Query), Is.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public async Task An_empty_result_is_an_error()
    {
        _stub.Then(Answer.Vector());

        var ex = await FailureOf(Source());

        Assert.That(ex.Message, Does.Contain("returned no series").And.Contain(Query));
    }

    [Test]
    public async Task A_multi_valued_result_is_an_error_naming_the_count()
    {
        _stub.Then(Answer.Vector("0.1", "0.2", "0.3"));

        var ex = await FailureOf(Source());

        Assert.That(ex.Message, Does.Contain("returned 3 series, expected 1"));
    }

    [Test]
    public async Task NaN_is_an_error_not_a_value()
    {
        _stub.Then(Answer.Vector("NaN"));

        var ex = await FailureOf(Source());

        Assert.That(ex.Message, Does.Contain("NaN"));
    }

    [Test]
    public async Task A_range_result_is_an_error()
    {
        _stub.Then(Answer.Json(200, """{"status":"success","data":{"resultType":"matrix","result":[]}}"""));

        var ex = await FailureOf(Source());

        Assert.That(ex.Message, Does.Contain("returned a matrix result"));
    }

    [Test]
    public async Task A_query_Prometheus_refuses_is_an_error_with_its_reason_and_is_not_retried()
    {
        _stub.Then(Answer.Error(400, "bad_data", "invalid parameter \\\"query\\\": 1:5: parse error: unexpected \\\"(\\\""));

        var ex = await FailureOf(Source());

        Assert.That(ex.Message, Does.Contain("refused the query (HTTP 400: bad_data: invalid parameter"));
        Assert.That(_stub.Queries, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_server_error_is_retried_and_a_later_answer_counts()
    {
        _stub.Then(Answer.Error(503, "unavailable", "too many queries"), Answer.Vector("42"));
        using var source = Source();

        Assert.That(await source.QueryAsync(Query), Is.EqualTo(42));
        Assert.That(_stub.Queries, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_server_error_on_every_attempt_is_an_error_after_the_retries()
    {
        _stub.Then(Answer.Error(503, "unavailable", "too many queries"));

        var ex = await FailureOf(Source(retries: 2));

        Assert.That(ex.Message, Does.Contain("HTTP 503: unavailable: too many queries").And.Contain("3 attempts"));
        Assert.That(_stub.Queries, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_server_that_does_not_answer_times_out_on_every_attempt()
    {
        _stub.Then(Answer.NoAnswer());
        // The attempts' timeout runs on a fake clock, moved only once the stub holds the attempt: on the wall clock a loaded
        // machine could let 0.2 s pass before the stub even read a request, and it would record fewer than two.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 2, 19, 10, 0, 0, TimeSpan.Zero));
        var bound = TimeSpan.FromSeconds(60); // a failure guard only

        var failing = FailureOf(Source(timeout: TimeSpan.FromMilliseconds(200), retries: 1, time: clock));
        await _stub.Arrived(1).WaitAsync(bound);
        Assert.That(failing.IsCompleted, Is.False, "the attempt may take its 0.2 s");
        clock.Advance(TimeSpan.FromMilliseconds(200));
        await _stub.Arrived(2).WaitAsync(bound);
        clock.Advance(TimeSpan.FromMilliseconds(200));
        var ex = await failing.WaitAsync(bound);

        Assert.That(ex.Message, Does.Contain("did not answer within 0.2 s (2 attempts)"));
        Assert.That(_stub.Queries, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Prometheus_down_is_an_error()
    {
        var ex = await FailureOf(Source(new Uri(PrometheusServer.DownUrl), retries: 1));

        Assert.That(ex.Message, Does.Contain($"prometheus at {PrometheusServer.DownUrl}/ failed").And.Contain("2 attempts"));
    }

    [Test]
    public void Options_out_of_range_are_refused_when_the_source_is_built()
    {
        Assert.That(() => Source(timeout: TimeSpan.Zero), Throws.TypeOf<System.ComponentModel.DataAnnotations.ValidationException>());
        Assert.That(() => Source(new Uri("ftp://127.0.0.1/")), Throws.ArgumentException.With.Message.Contain("absolute http(s) URL"));
    }
}
