using CanarySim.Service.Auth;
using CanarySim.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace CanarySim.Service.Tests.Hosting;

[TestFixture]
[NonParallelizable] // touches the CANARYSIM_OPS_TOKEN environment variable
public sealed class StartupTests
{
    private TempDirectory _dir = null!;
    private string? _savedEnv;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDirectory("startup-tests");
        _savedEnv = Environment.GetEnvironmentVariable(GuardServiceOptions.TokenEnvironmentVariable);
        Environment.SetEnvironmentVariable(GuardServiceOptions.TokenEnvironmentVariable, null);
    }

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable(GuardServiceOptions.TokenEnvironmentVariable, _savedEnv);
        _dir.Dispose();
    }

    private GuardServiceOptions Options() => new() { DatabasePath = _dir.File("g.db"), Urls = "http://127.0.0.1:0" };

    [Test]
    public void Without_any_token_the_service_refuses_to_start_and_says_what_to_give()
    {
        var ex = Assert.Throws<GuardServiceConfigurationException>(() => GuardServiceHost.Build(Options()));
        Assert.That(ex!.Message, Does.Contain("--ops-token-file").And.Contain("CANARYSIM_OPS_TOKEN").And.Contain("--insecure-dev"));
        Assert.That(File.Exists(_dir.File("g.db")), Is.False, "nothing is created when the service refuses to start");
    }

    [Test]
    public void Run_returns_exit_code_2_with_the_reason_on_stderr()
    {
        var stderr = new StringWriter();
        var code = GuardServiceHost.Run(Options(), stderr);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.ToString(), Does.StartWith("error: refusing to start without an ops token"));
    }

    [Test]
    public void A_token_shorter_than_16_characters_is_refused()
    {
        var file = _dir.File("token");
        File.WriteAllText(file, "short-token\n");
        var options = Options();
        options.OpsTokenFile = file;

        var ex = Assert.Throws<GuardServiceConfigurationException>(() => GuardServiceHost.Build(options));

        Assert.That(ex!.Message, Does.Contain("11 characters").And.Contain("at least 16"));
    }

    [Test]
    public void A_missing_token_file_is_named()
    {
        var options = Options();
        options.OpsTokenFile = _dir.File("nope");
        var ex = Assert.Throws<GuardServiceConfigurationException>(() => GuardServiceHost.Build(options));
        Assert.That(ex!.Message, Does.Contain(_dir.File("nope")));
    }

    [Test]
    public void Token_sources_in_order_options_file_environment()
    {
        var file = _dir.File("token");
        File.WriteAllText(file, "  from-the-file-0123456789  \n");
        var env = new Dictionary<string, string?> { [GuardServiceOptions.TokenEnvironmentVariable] = "from-the-environment-0123" };
        string? Env(string name) => env.GetValueOrDefault(name);

        var fromOptions = AccessToken.Resolve(new GuardServiceOptions { OpsToken = "from-the-options-0123456", OpsTokenFile = file }, Env);
        var fromFile = AccessToken.Resolve(new GuardServiceOptions { OpsTokenFile = file }, Env);
        var fromEnv = AccessToken.Resolve(new GuardServiceOptions(), Env);

        Assert.Multiple(() =>
        {
            Assert.That(fromOptions.Matches("from-the-options-0123456"), Is.True);
            Assert.That(fromFile.Matches("from-the-file-0123456789"), Is.True, "the file's content is trimmed");
            Assert.That(fromFile.Matches("from-the-environment-0123"), Is.False);
            Assert.That(fromEnv.Matches("from-the-environment-0123"), Is.True);
            Assert.That(fromEnv.Source, Is.EqualTo("env:CANARYSIM_OPS_TOKEN"));
            Assert.That(fromEnv.Insecure, Is.False);
        });
    }

    [Test]
    public async Task Insecure_dev_starts_without_a_token_logs_it_loudly_and_lets_changes_through()
    {
        var options = Options();
        options.InsecureDev = true;
        options.BackgroundEvaluation = false;
        var builder = GuardServiceHost.CreateBuilder([], options);
        builder.WebHost.UseTestServer();
        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs);
        await using var app = GuardServiceHost.Build(builder);
        await app.StartAsync();
        using var client = app.GetTestClient();

        var response = await client.PutAsync("/guard/config", new StringContent("""{"canary_pct": 5, "reason": "dev"}""", System.Text.Encoding.UTF8, "application/json"));
        var health = (await client.GetFromJsonAsync<JsonObject>("/guard/health"))!;
        await app.StopAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(health["insecure_dev"]!.GetValue<bool>(), Is.True);
        Assert.That(health["auth_required"]!.GetValue<bool>(), Is.False);
        Assert.That(logs.Messages, Has.Some.Matches<(LogLevel Level, string Text)>(m => m.Level == LogLevel.Warning && m.Text.Contains("INSECURE DEV MODE")));
    }

    [Test]
    public void Cli_style_switches_map_onto_the_guard_configuration()
    {
        var args = GuardServiceHost.NormalizeArgs(["--db", "x.db", "--insecure-dev", "--ops-token-file", "t.txt", "--urls", "http://127.0.0.1:1"]);
        Assert.That(args, Is.EqualTo(new[] { "--Guard:DatabasePath=x.db", "--Guard:InsecureDev=true", "--Guard:OpsTokenFile=t.txt", "--urls", "http://127.0.0.1:1" }));
    }

    [Test]
    public void A_foreign_database_file_is_refused_untouched()
    {
        var path = _dir.File("g.db");
        File.WriteAllText(path, "this is not a database");
        var options = Options();
        options.OpsToken = "a-long-enough-ops-token";

        Assert.Throws<GuardServiceConfigurationException>(() => GuardServiceHost.Build(options));
        Assert.That(File.ReadAllText(path), Is.EqualTo("this is not a database"));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly List<(LogLevel, string)> _messages = [];

        public IReadOnlyList<(LogLevel Level, string Text)> Messages
        {
            get { lock (_messages) { return _messages.ToList(); } }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._messages)
                {
                    owner._messages.Add((logLevel, formatter(state, exception)));
                }
            }
        }
    }
}
