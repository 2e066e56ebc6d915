using static CanarySim.Cli.Tests.InProcessCli;

namespace CanarySim.Cli.Tests;

/// <summary>What a new user meets first: every command's --help, and a word where a number belongs.</summary>
public sealed class UsageTests
{
    private static readonly string[] Commands =
        ["route", "evaluate", "gate", "shadow-diff", "replay", "simulate", "sweep", "sweep-merge", "rollup", "serve", "report-index"];

    [TestCase("--seed", "x", "a whole number", "simulate", "--plan", "p.yaml")]
    [TestCase("--requests", "10k", "a whole number", "simulate", "--plan", "p.yaml")]
    [TestCase("--engine-timeout-ms", "1.5", "a whole number", "simulate", "--plan", "p.yaml")]
    [TestCase("--stage", "ten", "a whole number", "gate", "--raw", "a.json", "--latency-p95-sla-ms", "5000")]
    [TestCase("--latency-p95-sla-ms", "5s", "a number", "gate", "--raw", "a.json", "--stage", "10")]
    [TestCase("--baseline-correction-rate", "NaN", "a number", "gate", "--raw", "a.json", "--stage", "10", "--latency-p95-sla-ms", "5000")]
    [TestCase("--workers", "all", "a whole number", "sweep", "--plan", "p.yaml", "--seeds", "1-2", "--out", "o")]
    [TestCase("--evaluation-interval", "15s", "a number", "serve", "--insecure-dev")]
    [TestCase("--seed", "-", "a whole number", "route", "--pct", "10")]
    public void A_word_where_a_number_belongs_is_named_in_plain_words_with_exit_2(string option, string value, string expected, params string[] command)
    {
        var (code, output, err) = Run([.. command, option, value]);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(CanarySimCli.Usage));
            Assert.That(err, Does.Contain($"error: {option}: expected {expected}, got '{value}'."));
            Assert.That(err, Does.Not.Contain("System."), "no .NET type names");
            Assert.That(output, Is.Empty);
        });
    }

    [TestCase("unknown option '--pcct' for 'canarysim route' (did you mean '--pct'?)", "route", "--key", "a", "--pcct", "10")]
    [TestCase("unknown option '--stge' for 'canarysim gate' (did you mean '--stage'?)", "gate", "--raw", "a.json", "--stge", "10", "--latency-p95-sla-ms", "5000")]
    [TestCase("unknown option '--v3raw' for 'canarysim shadow-diff' (did you mean '--v3-raw'?)", "shadow-diff", "--v2-raw", "a.json", "--v3raw", "b.json")]
    [TestCase("unknown command 'simulat' (did you mean 'simulate'?)", "simulat", "--plan", "p.yaml")]
    public void A_misspelt_option_or_command_is_named_with_the_closest_one(string expected, params string[] args)
    {
        var (code, output, err) = Run(args);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(CanarySimCli.Usage));
            Assert.That(err, Does.Contain("error: " + expected));
            Assert.That(err, Does.Not.Contain("Required command"));
            Assert.That(err, Does.Not.Contain("'10'").And.Not.Contain("'b.json'"), "the misspelt option's value is not a second error");
            Assert.That(output, Is.Empty);
        });
    }

    [Test]
    public void No_command_names_the_commands_instead_of_the_parsers_message()
    {
        var (code, output, err) = Run([]);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(CanarySimCli.Usage));
            Assert.That(err, Does.StartWith("error: no command given; the commands are route, "));
            Assert.That(err, Does.Contain(", simulate, ").And.Contain(", gate, "));
            Assert.That(err, Does.Not.Contain("Required command"));
            Assert.That(output, Is.Empty);
        });
    }

    [Test]
    public void A_stray_word_is_still_an_error()
    {
        var (code, _, err) = Run("route", "--pct", "10", "extra");
        Assert.That(code, Is.EqualTo(CanarySimCli.Usage));
        Assert.That(err, Does.Contain("'extra'"));
    }

    [TestCaseSource(nameof(Commands))]
    public void Every_command_help_states_its_exit_codes(string command)
    {
        var (code, output, _) = Run(command, "--help");
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("Exit codes: 0 = "));
        Assert.That(output, Does.Contain("2 = "));
    }

    [Test]
    public void Route_help_names_algorithms_and_modes_as_they_are_typed()
    {
        var (_, output, _) = Run("route", "--help");
        Assert.That(output, Does.Contain("--algorithm <canarysim|unleash|featuremanagement|launchdarkly>"));
        Assert.That(output, Does.Contain("--mode <primary|shadow|canary|candidate>"));
        Assert.That(output, Does.Not.Contain("CanarySim|"));
    }

    [Test]
    public void Serve_help_states_each_default_once()
    {
        var (_, output, _) = Run("serve", "--help");
        var urls = output.Split('\n').Single(l => l.TrimStart().StartsWith("--urls", StringComparison.Ordinal));
        Assert.That(urls.Split("127.0.0.1:5080").Length - 1, Is.EqualTo(1), urls);
        var db = output.Split('\n').Single(l => l.TrimStart().StartsWith("--db", StringComparison.Ordinal));
        Assert.That(db.Split("canarysim.db").Length - 1, Is.EqualTo(1), db);
    }
}
