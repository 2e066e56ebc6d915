using CanarySim.Cli;
using static CanarySim.Cli.Tests.InProcessCli;

namespace CanarySim.Cli.Tests.Gating;

/// <summary>Runs the real replay manifest so fixtures and their recorded verdicts cannot drift apart.</summary>
public sealed class ReplayCliTests
{
    private string _out = null!;

    [SetUp]
    public void SetUp() => _out = Directory.CreateTempSubdirectory("canarysim-replay-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_out, recursive: true);

    [Test]
    public void Every_fixture_reproduces_its_expected_verdict()
    {
        var (code, stdout, stderr) = Run("replay", "--fixtures", Path.Combine(RepoRoot.Path, "fixtures", "uat"), "--out", _out);
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        Assert.That(stdout, Does.Contain("replay: all 21 runs match their expected verdicts"));
        Assert.That(File.Exists(Path.Combine(_out, "phase8_stage100_release_gate_stage100.md")), Is.True);
        Assert.That(File.Exists(Path.Combine(_out, "phase8_shadow_build412_shadow_diff.md")), Is.True);
        Assert.That(File.Exists(Path.Combine(_out, "replay.summary.json")), Is.True);
    }

    [Test]
    public void A_wrong_expectation_exits_1_and_names_the_run()
    {
        var fixtures = Path.Combine(RepoRoot.Path, "fixtures", "uat");
        var manifest = Path.Combine(_out, "replay.json");
        File.WriteAllText(manifest, $$"""
            {"runs":[{"name":"stage50_ws","command":"gate","raws":["{{Path.Combine(fixtures, "stages", "stage50_write_safety_raw2.json").Replace("\\", "/", StringComparison.Ordinal)}}"],
                      "stage":50,"latency_p95_sla_ms":5000,"expect":"GO"}]}
            """);
        var (code, stdout, _) = Run("replay", "--manifest", manifest, "--out", _out);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stdout, Does.Contain("stage50_ws").And.Contain("MISMATCH: verdict NO-GO, expected GO"));
    }

    [Test]
    public void A_wrong_failed_check_is_a_mismatch_too()
    {
        var fixtures = Path.Combine(RepoRoot.Path, "fixtures", "uat");
        var manifest = Path.Combine(_out, "replay.json");
        File.WriteAllText(manifest, $$"""
            {"runs":[{"name":"lat","command":"gate","raws":["{{Path.Combine(fixtures, "stages", "stage50_latency_breach_raw.json").Replace("\\", "/", StringComparison.Ordinal)}}"],
                      "stage":50,"latency_p95_sla_ms":5000,"expect":"NO-GO","expect_failed_checks":["role_parity"]}]}
            """);
        var (code, stdout, _) = Run("replay", "--manifest", manifest, "--out", _out);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stdout, Does.Contain("failed checks [latency_p95], expected [role_parity]"));
    }

    [Test]
    public void Missing_manifest_is_a_usage_error()
    {
        var (code, _, stderr) = Run("replay", "--fixtures", _out, "--out", _out);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("replay.json"));
    }
}
