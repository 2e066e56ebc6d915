using CanarySim.Cli;
using static CanarySim.Cli.Tests.InProcessCli;

namespace CanarySim.Cli.Tests.Service;

/// <summary>
/// `canarysim serve` argument handling. Serving itself is covered end to end by
/// tests/CanarySim.Browser.Tests, which starts the built CLI as a child process.
/// </summary>
[TestFixture]
[NonParallelizable] // touches the CANARYSIM_OPS_TOKEN environment variable
public sealed class ServeCommandTests : TestFolder
{
    private string? _saved;

    [SetUp]
    public void SetUp()
    {
        _saved = Environment.GetEnvironmentVariable("CANARYSIM_OPS_TOKEN");
        Environment.SetEnvironmentVariable("CANARYSIM_OPS_TOKEN", null);
    }

    [TearDown]
    public void TearDown() => Environment.SetEnvironmentVariable("CANARYSIM_OPS_TOKEN", _saved);

    [Test]
    public void Serve_refuses_to_start_without_an_ops_token()
    {
        var db = Path.Combine(Dir, "g.db");
        var (code, _, err) = Run("serve", "--urls", "http://127.0.0.1:0", "--db", db);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("refusing to start without an ops token").And.Contain("--insecure-dev"));
        Assert.That(File.Exists(db), Is.False);
    }

    [Test]
    public void Serve_refuses_a_short_token_file()
    {
        var token = Path.Combine(Dir, "token");
        File.WriteAllText(token, "0123456789");
        var (code, _, err) = Run("serve", "--urls", "http://127.0.0.1:0", "--db", Path.Combine(Dir, "g.db"), "--ops-token-file", token);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("10 characters").And.Contain("at least 16"));
    }

    [Test]
    public void Serve_rejects_a_negative_interval()
    {
        var (code, _, err) = Run("serve", "--evaluation-interval", "-5");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--evaluation-interval"));
    }

    private string Token()
    {
        var token = Path.Combine(Dir, "token");
        File.WriteAllText(token, "serve-plan-test-token-0123");
        return token;
    }

    [Test]
    public void Serve_refuses_a_plan_with_an_exit_criterion_it_cannot_measure_live_naming_file_line_and_field()
    {
        var plan = Path.Combine(Dir, "p.yaml");
        File.WriteAllText(plan, """
            schema: canarysim.plan/v1
            name: diverging
            duration: 1h
            stages:
              - { name: canary-5, kind: canary, percent: 5, min_hold: 1m, gates: [detector] }
              - name: canary-50
                kind: canary
                percent: 50
                exit_criteria:
                  - divergence < 0.25 for 1h
            """);
        var db = Path.Combine(Dir, "g.db");

        var (code, _, err) = Run("serve", "--urls", "http://127.0.0.1:0", "--db", db, "--ops-token-file", Token(), "--plan", plan);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain($"{plan}:10: stages[1].exit_criteria[0]: stage 'canary-50': exit criterion 'divergence < 0.25 for 1h' cannot be met live"));
        Assert.That(File.Exists(db), Is.False, "refused before anything is opened");
    }

    [Test]
    public void Serve_refuses_a_plan_whose_percentage_goes_down()
    {
        var plan = Path.Combine(Dir, "down.yaml");
        File.WriteAllText(plan, """
            schema: canarysim.plan/v1
            name: down
            duration: 1h
            stages:
              - { name: canary-50, kind: canary, percent: 50, gates: [detector] }
              - { name: canary-20, kind: canary, percent: 20, gates: [detector] }
            """);

        var (code, _, err) = Run("serve", "--ops-token-file", Token(), "--plan", plan);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain($"{plan}:6: stages[1].percent: stages must ramp up: 20 % follows 50 %"));
    }

    [Test]
    public void Serve_refuses_a_missing_or_invalid_plan_file()
    {
        var (code, _, err) = Run("serve", "--ops-token-file", Token(), "--plan", Path.Combine(Dir, "nope.yaml"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("nope.yaml").And.Contain("plan file not found"));

        var bad = Path.Combine(Dir, "bad.yaml");
        File.WriteAllText(bad, "schema: canarysim.plan/v1\nname: bad\nduration: 1h\nstages:\n  - { name: a, kind: canary, percent: 150 }\n");
        (code, _, err) = Run("serve", "--ops-token-file", Token(), "--plan", bad);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("bad.yaml:5").And.Contain("percent"));
    }

    [Test]
    public void Serve_rejects_a_notify_webhook_that_is_not_an_http_url_before_opening_anything()
    {
        var db = Path.Combine(Dir, "g.db");
        var (code, _, err) = Run("serve", "--urls", "http://127.0.0.1:0", "--db", db, "--insecure-dev", "--notify-webhook", "hooks.example.com/canary");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--notify-webhook: 'hooks.example.com/canary' is not a webhook address: expected an absolute http(s) URL"));
        Assert.That(File.Exists(db), Is.False);
    }

    [TestCase("bogus")]
    [TestCase("http://127.0.0.1:0;127.0.0.1:5080")]
    public void Serve_refuses_an_address_it_cannot_listen_on_before_opening_anything(string urls)
    {
        var db = Path.Combine(Dir, "g.db");
        var (code, _, err) = Run("serve", "--urls", urls, "--db", db, "--insecure-dev");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--urls: '").And.Contain("' is not an address to listen on: expected e.g. http://127.0.0.1:5080"));
        Assert.That(File.Exists(db), Is.False);
    }

    [Test]
    public void Serve_takes_either_a_sqlite_file_or_a_postgresql_store_not_both()
    {
        var (code, _, err) = Run("serve", "--db", Path.Combine(Dir, "g.db"), "--store", "Host=127.0.0.1;Database=fleet", "--insecure-dev");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--db and --store exclude each other"));
    }

    [Test]
    public void Serve_with_a_postgresql_store_that_does_not_answer_refuses_to_start_naming_it()
    {
        var (code, _, err) = Run("serve", "--urls", "http://127.0.0.1:0", "--store", "Host=127.0.0.1;Port=1;Username=x;Database=fleet;Timeout=5", "--insecure-dev");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--store").And.Contain("postgresql://127.0.0.1:1/fleet").And.Contain("cannot reach the server"));
        Assert.That(err, Does.Not.Contain("Username"), "the connection string (which may hold a password) is not echoed");
    }

    [Test]
    public void Serve_help_lists_its_options()
    {
        var (code, output, _) = Run("serve", "--help");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("--urls").And.Contain("--db").And.Contain("--ops-token-file").And.Contain("--insecure-dev").And.Contain("--notify-webhook").And.Contain("--store").And.Contain("--instance-name").And.Contain("--plan"));
    }
}
