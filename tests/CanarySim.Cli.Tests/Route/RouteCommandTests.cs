using System.Text.Json;
using CanarySim.Cli;
using static CanarySim.Cli.Tests.InProcessCli;

namespace CanarySim.Cli.Tests.Route;

public sealed class RouteCommandTests : TestFolder
{
    [Test]
    public void One_decision_as_snake_case_json_defaults_to_canary_mode_when_pct_is_given()
    {
        var (code, output, _) = Run("route", "--key", "session-1", "--pct", "100", "--json");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(root.GetProperty("selected").GetString(), Is.EqualTo("v2"));
            Assert.That(root.GetProperty("reason").GetString(), Is.EqualTo("canary"));
            Assert.That(root.GetProperty("mode").GetString(), Is.EqualTo("canary"));
            Assert.That(root.GetProperty("canary_pct").GetDouble(), Is.EqualTo(100));
            Assert.That(root.GetProperty("kill_switch").GetBoolean(), Is.False);
            Assert.That(root.GetProperty("bucket").GetDouble(), Is.InRange(0, 9999));
            Assert.That(root.GetProperty("algorithm").GetString(), Is.EqualTo("canarysim"));
        });
    }

    [TestCase("5", null, "canary")]
    [TestCase("0", null, "primary")]
    [TestCase("0", "canary", "canary")]
    [TestCase("50", "shadow", "shadow")]
    public void A_percentage_above_0_without_a_mode_means_canary_mode(string pct, string? mode, string expected)
    {
        string[] args = mode is null ? ["route", "--key", "k", "--pct", pct, "--json"] : ["route", "--key", "k", "--pct", pct, "--mode", mode, "--json"];
        var (code, output, err) = Run(args);
        Assert.That(code, Is.Zero, err);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("mode").GetString(), Is.EqualTo(expected));
    }

    [Test]
    public void Kill_switch_flag_wins()
    {
        var (code, output, _) = Run("route", "--key", "k", "--pct", "100", "--kill-switch", "--json");
        using var json = JsonDocument.Parse(output);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(json.RootElement.GetProperty("selected").GetString(), Is.EqualTo("v1"));
            Assert.That(json.RootElement.GetProperty("reason").GetString(), Is.EqualTo("kill_switch"));
        });
    }

    // Vectors: LaunchDarkly dotnet-server-sdk BucketingTest (userKeyA, "hashKey", "saltyA" → 0.42157587);
    // Unleash unleash-client-java StrategyUtilsTest (getNormalizedNumber("123", "gr1") == 73).
    [TestCase("launchdarkly", "userKeyA", "hashKey.saltyA", 0.42157587, 1e-7)]
    [TestCase("unleash", "123", "gr1", 73.0, 0.0)]
    public void Each_algorithm_reproduces_its_systems_bucket(string algorithm, string key, string salt, double expected, double tolerance)
    {
        var (code, output, _) = Run("route", "--key", key, "--pct", "50", "--salt", salt, "--algorithm", algorithm, "--json");
        using var json = JsonDocument.Parse(output);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(json.RootElement.GetProperty("bucket").GetDouble(), Is.EqualTo(expected).Within(tolerance));
            Assert.That(json.RootElement.GetProperty("algorithm").GetString(), Is.EqualTo(algorithm));
        });
    }

    [TestCase("NaN")]
    [TestCase("101")]
    [TestCase("-0.5")]
    [TestCase("ten")]
    [TestCase("Infinity")]
    public void Bad_pct_is_rejected_with_exit_2(string pct)
    {
        var (code, output, err) = Run("route", "--key", "k", "--pct", pct, "--json");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(err, Does.Contain("--pct").And.Contain("between 0 and 100"));
        });
    }

    [Test]
    public void Unknown_algorithm_and_mode_are_usage_errors()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Run("route", "--key", "k", "--pct", "5", "--algorithm", "md5").Code, Is.EqualTo(2));
            Assert.That(Run("route", "--key", "k", "--pct", "5", "--mode", "blue").Code, Is.EqualTo(2));
        });
    }

    [Test]
    public void Batch_writes_one_decision_per_line_in_order_with_command_line_fallbacks()
    {
        var file = Write("in.jsonl", string.Join('\n',
            """{"key":"a"}""",
            """{"key":"b","pct":0}""",
            "",
            """{"user":"u","kill_switch":true}""",
            """{"key":"userKeyB","salt":"hashKey.saltyA","algorithm":"launchdarkly"}""",
            """{"key":"c","mode":"candidate"}""") + "\n");
        var (code, output, err) = Run("route", "--batch", file, "--pct", "100", "--json");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, err);
            Assert.That(lines.Select(l => l.GetProperty("key").GetString()), Is.EqualTo(new[] { "a", "b", "u", "userKeyB", "c" }));
            Assert.That(lines.Select(l => l.GetProperty("reason").GetString()), Is.EqualTo(new[] { "canary", "default", "kill_switch", "canary", "default" }));
            Assert.That(lines[1].GetProperty("canary_pct").GetDouble(), Is.Zero, "the line's pct overrides --pct");
            Assert.That(lines[0].GetProperty("canary_pct").GetDouble(), Is.EqualTo(100), "a missing pct takes --pct");
            Assert.That(lines[3].GetProperty("bucket").GetDouble(), Is.EqualTo(0.6708485).Within(1e-7));
            Assert.That(lines[4].GetProperty("selected").GetString(), Is.EqualTo("v2"));
        });
    }

    [TestCase("""{"key":"b","pct":150}""", "field 'pct'")]
    [TestCase("""{"key":"b","pct":"5"}""", "field 'pct'")]
    [TestCase("""{"key":"b","algorithm":"md5"}""", "field 'algorithm'")]
    [TestCase("""{"key":"b","mode":"blue"}""", "field 'mode'")]
    [TestCase("""{"key":7}""", "field 'key'")]
    [TestCase("""{"key":"b","kill_switch":"yes"}""", "field 'kill_switch'")]
    [TestCase("""{"key":"b" """, "malformed JSON")]
    [TestCase("""[1,2]""", "JSON object")]
    [TestCase("""{"key":"b","extra":{"ignored":[1,2]}}""", "field 'extra': unknown")]
    public void A_bad_line_names_its_number_exits_2_and_leaves_no_output(string badLine, string expectedError)
    {
        var file = Write("bad.jsonl", "{\"key\":\"a\"}\n{\"key\":\"z\"}\n" + badLine + "\n{\"key\":\"c\"}\n");
        var (code, output, err) = Run("route", "--batch", file, "--pct", "10", "--json");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(err, Does.Contain($"{file}:3:").And.Contain(expectedError));
        });
    }

    [Test]
    public void Missing_batch_file_is_a_usage_error()
    {
        var (code, _, err) = Run("route", "--batch", Path.Combine(Dir, "nope.jsonl"), "--json");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(err, Does.Contain("nope.jsonl"));
        });
    }

    [Test]
    public void Unkeyed_request_with_a_seed_is_reproducible()
    {
        var first = Run("route", "--pct", "50", "--seed", "3", "--json");
        var second = Run("route", "--pct", "50", "--seed", "3", "--json");
        using var json = JsonDocument.Parse(first.Out);
        Assert.Multiple(() =>
        {
            Assert.That(first.Out, Is.EqualTo(second.Out));
            Assert.That(json.RootElement.GetProperty("reason").GetString(), Is.EqualTo("unkeyed"));
            Assert.That(json.RootElement.GetProperty("bucket").GetInt32(), Is.EqualTo(new Random(3).Next(10_000)));
        });
    }

    [Test]
    public void Text_output_without_json_names_engine_and_reason()
    {
        var (code, output, _) = Run("route", "--key", "k", "--pct", "100");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(output, Does.StartWith("v2 reason=canary"));
        });
    }
}
