using System.Globalization;
using System.Text.Json;
using CanarySim.Cli;
using static CanarySim.Cli.Tests.InProcessCli;

namespace CanarySim.Cli.Tests.Evaluate;

public sealed class EvaluateCommandTests : TestFolder
{
    private static readonly DateTime Start = new(2026, 2, 19, 10, 0, 0, DateTimeKind.Utc);

    private static string Line(string engine, int second, double latency = 800, double quality = 95, double cost = 1.5, bool error = false, bool violation = false) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"engine":"{{engine}}","at":"{{Start.AddSeconds(second):yyyy-MM-ddTHH:mm:ssZ}}","latency_ms":{{latency}},"quality":{{quality}},"cost_cents":{{cost}},"error":{{(error ? "true" : "false")}},"fallback":false,"policy_violation":{{(violation ? "true" : "false")}},"complaint":false}""");

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private string Runs(int n, Func<int, string> v2) =>
        Write("runs.jsonl", Enumerable.Range(0, n).SelectMany(i => new[] { Line("v1", i), v2(i) }));

    [Test]
    public void Healthy_samples_pass_with_exit_code_0_and_print_the_verdict_object()
    {
        var (code, output, _) = Run("evaluate", "--samples", Runs(100, i => Line("v2", i)), "--json");
        Assert.That(code, Is.EqualTo(0));
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("verdict").GetString(), Is.EqualTo("pass"));
        Assert.That(root.GetProperty("action").GetString(), Is.EqualTo("none"));
        Assert.That(root.GetProperty("samples").GetProperty("v2").GetInt32(), Is.EqualTo(100));
        Assert.That(root.GetProperty("v1").GetProperty("p95_latency_ms").GetDouble(), Is.EqualTo(800));
    }

    [Test]
    public void A_quality_regression_exits_1_with_the_reason()
    {
        var (code, output, _) = Run("evaluate", "--samples", Runs(100, i => Line("v2", i, quality: 82)), "--json");
        Assert.That(code, Is.EqualTo(1));
        using var doc = JsonDocument.Parse(output);
        Assert.That(doc.RootElement.GetProperty("action").GetString(), Is.EqualTo("rollback"));
        Assert.That(doc.RootElement.GetProperty("breaches")[0].GetProperty("reason").GetString(), Is.EqualTo("quality (V1: 95.0, V2: 82.0, drop: 13.0)"));
    }

    [Test]
    public void A_folder_or_a_missing_file_as_samples_is_refused_with_exit_2_saying_which()
    {
        var missing = Path.Combine(Dir, "nowhere.jsonl");
        var (folderCode, _, folderErr) = Run("evaluate", "--samples", Dir);
        var (missingCode, _, missingErr) = Run("evaluate", "--samples", missing);
        Assert.Multiple(() =>
        {
            Assert.That((folderCode, folderErr.Trim()), Is.EqualTo((2, $"error: samples file '{Dir}' is a folder; give the file itself.")));
            Assert.That((missingCode, missingErr.Trim()), Is.EqualTo((2, $"error: samples file '{missing}' does not exist.")));
        });
    }

    [Test]
    public void Without_json_a_readable_table_is_printed()
    {
        var (code, output, _) = Run("evaluate", "--samples", Runs(100, i => Line("v2", i, latency: i < 90 ? 800 : 1850)));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("latency (V2 p95: 1850ms > 1600ms)"));
        Assert.That(output, Does.Contain("p95 latency ms"));
        Assert.That(output, Does.Contain("rollback"));
    }

    [Test]
    public void The_breaches_table_shows_values_as_their_reasons_do()
    {
        // v2 quality 82.0, 82.1, 82.2, ...: a drop of 12.9 (12.9010 to four decimals); 10 % v2 errors for 10 minutes.
        var quality = Run("evaluate", "--samples", Runs(100, i => Line("v2", i, quality: 82 + (i % 3) * 0.1)));
        var errors = Run("evaluate", "--samples", Write("errors.jsonl", Enumerable.Range(0, 60).SelectMany(i => new[] { Line("v1", i * 10), Line("v2", i * 10, error: i % 10 == 0) })));

        Assert.Multiple(() =>
        {
            Assert.That(BreachCells(quality.Out, "quality"), Is.EqualTo(new[] { "12.9", "5.0" }), quality.Out);
            Assert.That(quality.Out, Does.Contain("drop: 12.9)"));
            Assert.That(BreachCells(errors.Out, "error_rate"), Is.EqualTo(new[] { "10.0%", "5.0%" }), errors.Out);
            Assert.That(errors.Out, Does.Contain("error_rate (V2: 10.0% > 5.0%"));
        });
    }

    /// <summary>The value and threshold cells of a check's row in the breaches table.</summary>
    private static string[] BreachCells(string output, string check) => output.Split('\n')
        .Select(l => l.Split('│', StringSplitOptions.TrimEntries))
        .Where(cells => cells.Length > 3 && cells[1] == check)
        .Select(cells => new[] { cells[2], cells[3] })
        .SingleOrDefault() ?? [];

    [Test]
    public void Too_few_samples_is_insufficient_data_with_exit_0()
    {
        var (code, output, _) = Run("evaluate", "--samples", Runs(10, i => Line("v2", i, quality: 10)), "--json");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("\"verdict\": \"insufficient_data\""));
    }

    [Test]
    public void A_policy_violation_mid_stream_is_reported_even_when_the_window_moved_on()
    {
        var path = Runs(300, i => Line("v2", i, violation: i == 5));
        var (code, output, _) = Run("evaluate", "--samples", path, "--json");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("policy_violation (V2: 1 violation"));
    }

    [Test]
    public void Sustained_error_rate_is_judged_over_the_replayed_time()
    {
        // 10 % errors, one run pair per 10 s for 10 minutes: the breach is sustained after 5 minutes.
        var path = Write("errors.jsonl", Enumerable.Range(0, 60).SelectMany(i => new[] { Line("v1", i * 10), Line("v2", i * 10, error: i % 10 == 0) }));
        var (code, output, _) = Run("evaluate", "--samples", path, "--json");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("error_rate (V2: 10.0% > 5.0%, sustained 5m >= 5m)"));
    }

    [Test]
    public void A_policy_file_changes_the_thresholds()
    {
        var policy = Write("policy.json", ["""{ "quality_drop_max": 20 }"""]);
        var (code, _, _) = Run("evaluate", "--samples", Runs(100, i => Line("v2", i, quality: 82)), "--policy", policy, "--json");
        Assert.That(code, Is.EqualTo(0));
    }

    [Test]
    public void A_malformed_line_exits_2_naming_the_file_and_line()
    {
        var path = Write("bad.jsonl", [Line("v1", 0), Line("v2", 0), "{\"engine\":\"v2\",\"at\":\"2026-02-19T10:00:01Z\",\"latency_ms\":\"slow\",\"quality\":1,\"cost_cents\":1}"]);
        var (code, output, error) = Run("evaluate", "--samples", path);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain($"{path}:3: latency_ms: expected a number, got \"slow\""));
    }

    [Test]
    public void An_invalid_policy_exits_2_naming_the_file_and_field()
    {
        var policy = Write("policy.json", ["""{ "min_samples": -1 }"""]);
        var (code, _, error) = Run("evaluate", "--samples", Runs(5, i => Line("v2", i)), "--policy", policy);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain($"{policy}: field 'min_samples'"));
    }

    [Test]
    public void Missing_or_empty_samples_file_exits_2()
    {
        Assert.That(Run("evaluate", "--samples", Path.Combine(Dir, "nope.jsonl")).Code, Is.EqualTo(2));
        var empty = Write("empty.jsonl", []);
        var (code, _, error) = Run("evaluate", "--samples", empty);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("no samples"));
        Assert.That(Run("evaluate").Code, Is.EqualTo(2), "--samples is required");
    }

    [Test]
    public void Help_documents_the_exit_codes()
    {
        var (code, output, _) = Run("evaluate", "--help");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("Exit codes: 0 = verdict pass, inconclusive or insufficient_data"));
        Assert.That(output, Does.Contain("1 = action manual_review, pause, reduce_traffic or rollback"));
        Assert.That(output, Does.Contain("--policy"));
    }

    [Test]
    public void A_prometheus_that_does_not_answer_is_an_error_line_per_check_naming_it_once()
    {
        var policy = Path.Combine(Gating.RepoRoot.Path, "fixtures", "policies", "prometheus-fleet.json");
        var (code, output, _) = Run("evaluate", "--prometheus", "http://127.0.0.1:1", "--policy", policy);
        Assert.That(code, Is.EqualTo(CanarySimCli.Negative), "an unanswered query is an error, never a pass");
        Assert.That(output, Does.Contain("error: error_rate_fleet: prometheus at http://127.0.0.1:1/ failed"));
        Assert.That(output, Does.Not.Contain("error_rate_fleet: error_rate_fleet"));
    }
}
