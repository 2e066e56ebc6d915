using System.Text.Json;
using CanarySim.Cli;
using static CanarySim.Cli.Tests.InProcessCli;

namespace CanarySim.Cli.Tests.Gating;

public sealed class GateCliTests
{
    private string _out = null!;

    private static string Fixtures => Path.Combine(RepoRoot.Path, "fixtures", "uat");

    private static string Fx(string relative) => Path.Combine(Fixtures, relative);

    [SetUp]
    public void SetUp() => _out = Directory.CreateTempSubdirectory("canarysim-gate-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_out, recursive: true);

    private (int Code, string Out, string Err) Gate(params string[] extra) =>
        Run(["gate", "--raw", Fx("stages/stage10_raw1.json"), "--raw", Fx("stages/stage10_raw2.json"), "--stage", "10", "--latency-p95-sla-ms", "5000", "--out", _out, .. extra]);

    [Test]
    public void Go_exits_0_and_writes_json_markdown_and_summary()
    {
        var (code, stdout, _) = Gate("--baseline-correction-rate", "0.12", "--label", "phase8_stage10");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.StartWith("GO — promote to 25 %\n"));
        var files = Directory.GetFiles(_out).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.That(files, Is.EqualTo(new[] { "phase8_stage10_release_gate_stage10.html", "phase8_stage10_release_gate_stage10.json", "phase8_stage10_release_gate_stage10.md", "phase8_stage10_release_gate_stage10.summary.json" }));
        Assert.That(File.ReadAllText(Path.Combine(_out, "phase8_stage10_release_gate_stage10.html")), Does.Contain("<td><code>write_safety</code></td>"), "the page beside the Markdown shows its checks table");
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "phase8_stage10_release_gate_stage10.json")));
        Assert.That(doc.RootElement.GetProperty("next_stage").GetString(), Is.EqualTo("25"));
        Assert.That(doc.RootElement.GetProperty("counts").GetProperty("diagnostic_ignored").GetInt32(), Is.EqualTo(2));
        Assert.That(doc.RootElement.GetProperty("counts").GetProperty("superseded").GetInt32(), Is.EqualTo(1));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "phase8_stage10_release_gate_stage10.summary.json")));
        Assert.That(summary.RootElement.GetProperty("area").GetString(), Is.EqualTo("gate"));
        Assert.That(summary.RootElement.GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(summary.RootElement.GetProperty("href").GetString(), Is.EqualTo("phase8_stage10_release_gate_stage10.md"));
    }

    [Test]
    [NonParallelizable]
    public void Source_date_epoch_makes_two_gate_runs_byte_identical()
    {
        var saved = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        try
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", "1767225600"); // 2026-01-01T00:00:00Z
            var report = Path.Combine(_out, "canary_release_gate_stage10.json");
            Assert.That(Gate().Code, Is.EqualTo(0));
            var first = File.ReadAllBytes(report);
            Assert.That(Gate().Code, Is.EqualTo(0));
            Assert.That(File.ReadAllBytes(report), Is.EqualTo(first));
            Assert.That(File.ReadAllText(report), Does.Contain("2026-01-01T00:00:00"));

            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", "yesterday");
            var (code, _, stderr) = Gate();
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain("SOURCE_DATE_EPOCH=yesterday"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", saved);
        }
    }

    [Test]
    public void No_go_exits_1_and_still_writes_the_report()
    {
        var (code, stdout, _) = Run("gate", "--raw", Fx("stages/stage50_write_safety_raw1.json"), "--raw", Fx("stages/stage50_write_safety_raw2.json"),
            "--stage", "50", "--latency-p95-sla-ms", "5000", "--out", _out);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stdout, Does.StartWith("NO-GO: failed write_safety — roll back now: set assistant_engine=v2\n"));
        Assert.That(File.ReadAllText(Path.Combine(_out, "canary_release_gate_stage50.md")), Does.Contain("| WR-02 | ai.operator |"));
    }

    [Test]
    public void Json_flag_prints_the_report()
    {
        var (code, stdout, _) = Gate("--json");
        Assert.That(code, Is.EqualTo(0));
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("label").GetString(), Is.EqualTo("canary"));
        Assert.That(doc.RootElement.GetProperty("checks").GetArrayLength(), Is.EqualTo(5));
    }

    [TestCase("--stage", "15", "unknown stage 15")]
    [TestCase("--latency-p95-sla-ms", "-5", "latency p95 SLA must be a non-negative")]
    [TestCase("--baseline-correction-rate", "1.5", "between 0 and 1")]
    [TestCase("--label", "a/b", "label \"a/b\"")]
    public void Bad_arguments_exit_2_and_write_nothing(string option, string value, string message)
    {
        string[] args = ["gate", "--raw", Fx("stages/stage10_raw1.json"), "--stage", "10", "--latency-p95-sla-ms", "5000", "--out", _out];
        var at = Array.IndexOf(args, option);
        args = at >= 0 ? [.. args[..(at + 1)], value, .. args[(at + 2)..]] : [.. args, option, value];
        var (code, _, stderr) = Run(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain(message));
        Assert.That(Directory.GetFileSystemEntries(_out), Is.Empty);
    }

    [TestCase("invalid/empty.json", "file is empty")]
    [TestCase("invalid/malformed.json", "line 42, byte 7 case #2: malformed JSON")]
    [TestCase("invalid/duplicate_first_run.json", "duplicate first-run result for (FIN-03, ai.reader); case #4 already is its first run")]
    [TestCase("invalid/unknown_schema.json", "unknown schema version")]
    [TestCase("invalid/missing_passed.json", "case #3 (FIN-02) field 'passed': missing required field")]
    [TestCase("invalid/unknown_role.json", "unknown role \"ai.admin\"")]
    [TestCase("invalid/unknown_run_kind.json", "unknown run_kind \"retry\"")]
    [TestCase("invalid/wrong_type.json", "field 'latency_ms': expected a non-negative number")]
    [TestCase("invalid/no_cases.json", "expected at least one case result")]
    [TestCase("invalid/does_not_exist.json", "could not be opened")]
    public void Bad_artifact_in_any_raw_exits_2_names_file_and_writes_nothing(string bad, string message)
    {
        var (code, _, stderr) = Gate("--raw", Fx(bad));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain(Path.GetFileName(bad)).And.Contain(message));
        Assert.That(Directory.GetFileSystemEntries(_out), Is.Empty);
    }

    [Test]
    public void Missing_required_option_is_a_usage_error()
    {
        var (code, _, stderr) = Run("gate", "--raw", Fx("stages/stage10_raw1.json"), "--stage", "10");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--latency-p95-sla-ms"));
    }

    [Test]
    public void Rerunning_overwrites_atomically_and_leaves_no_temp_files()
    {
        File.WriteAllText(Path.Combine(_out, "canary_release_gate_stage10.json"), "half-writ");
        Assert.That(Gate().Code, Is.EqualTo(0));
        Assert.That(Gate().Code, Is.EqualTo(0));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "canary_release_gate_stage10.json")));
        Assert.That(doc.RootElement.GetProperty("overall_go").GetBoolean(), Is.True);
        Assert.That(Directory.GetFiles(_out).Where(f => f.Contains(".tmp-", StringComparison.Ordinal)), Is.Empty);
        Assert.That(Directory.GetFiles(_out), Has.Length.EqualTo(4));
    }

    [Test]
    public void Shadow_diff_with_critical_regression_exits_1()
    {
        var (code, stdout, _) = Run("shadow-diff", "--v2-raw", Fx("shadow/v2_baseline.json"), "--v3-raw", Fx("shadow/v3_shadow_critical_regression.json"), "--out", _out);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stdout, Does.StartWith("DO NOT START CANARY: FIN-02 (ai.operator)"));
        Assert.That(File.Exists(Path.Combine(_out, "shadow_shadow_diff.json")), Is.True);
        Assert.That(File.Exists(Path.Combine(_out, "shadow_shadow_diff.md")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(_out, "shadow_shadow_diff.html")), Does.Contain("<table>"), "the shadow diff's page beside its Markdown");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "shadow_shadow_diff.summary.json")));
        Assert.That(summary.RootElement.GetProperty("area").GetString(), Is.EqualTo("shadow-diff"));
        Assert.That(summary.RootElement.GetProperty("ok").GetBoolean(), Is.False);
    }

    [Test]
    public void Shadow_diff_without_critical_regression_exits_0_with_json()
    {
        var (code, stdout, _) = Run("shadow-diff", "--baseline-raw", Fx("shadow/v2_baseline.json"), "--candidate-raw", Fx("shadow/v3_shadow.json"), "--out", _out, "--json", "--label", "pre");
        Assert.That(code, Is.EqualTo(0));
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("start_canary").GetBoolean(), Is.True);
        Assert.That(doc.RootElement.GetProperty("counts").GetProperty("regressed").GetInt32(), Is.EqualTo(2));
        Assert.That(doc.RootElement.GetProperty("counts").GetProperty("improved").GetInt32(), Is.EqualTo(2));
        Assert.That(File.Exists(Path.Combine(_out, "pre_shadow_diff.json")), Is.True);
    }

    [Test]
    public void Shadow_diff_bad_input_exits_2_and_writes_nothing()
    {
        var (code, _, stderr) = Run("shadow-diff", "--baseline-raw", Fx("shadow/v2_baseline.json"), "--candidate-raw", Fx("invalid/unknown_role.json"), "--out", _out);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("unknown_role.json"));
        Assert.That(Directory.GetFileSystemEntries(_out), Is.Empty);
    }
}
