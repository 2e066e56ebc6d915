using System.Text.Json;
using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;
using static CanarySim.Cli.Tests.InProcessCli;

namespace CanarySim.Cli.Tests.Simulate;

/// <summary><c>simulate --engines wiremock</c> end to end (the CLI starts and stops its own WireMock server on 127.0.0.1).</summary>
[NonParallelizable]
public sealed class SimulateWireMockTests : TestFolder
{
    private static readonly string Plan = TwoDayPlan("cli-wiremock", "CLI wiremock plan");

    private string WritePlan() => Write("plan.yaml", Plan);

    [Test]
    public void Wiremock_engines_write_the_same_files_as_in_process_and_print_http_throughput()
    {
        var plan = WritePlan();
        var http = Path.Combine(Dir, "http");
        var local = Path.Combine(Dir, "local");
        const string fault = "v2.errors=30% at day 1 for 3h";
        // The largest budget (nothing is slow by design here): on a loaded machine a healthy call missing the default 250 ms
        // three times in a row would stop the run; the budget only guards against a hung engine.
        var (code, output, err) = Run("simulate", "--plan", plan, "--engines", "wiremock", "--engine-timeout-ms", "1400", "--requests", "600", "--inject", fault, "--seed", "3", "--out", http);
        var inProcess = Run("simulate", "--plan", plan, "--requests", "600", "--inject", fault, "--seed", "3", "--out", local);
        Assert.That(code, Is.EqualTo(inProcess.Code), err);
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(http, "cli-wiremock.result.json")));
        Assert.Multiple(() =>
        {
            Assert.That(result.RootElement.GetProperty("requests").GetInt64(), Is.EqualTo(600));
            Assert.That(result.RootElement.GetProperty("fallbacks").GetInt64(), Is.GreaterThan(0), "v2's HTTP 500s fell back to v1");
            Assert.That(output, Does.Match(@"engines over HTTP \(WireMock at http://127\.0\.0\.1:\d+/\): [\d,]+ calls \(v1 [\d,]+, v2 [\d,]+; [\d,]+ for diffs\) for 600 requests in [\d.]+ s: [\d,]+ calls/s"));
            Assert.That(err, Does.Not.Contain("simulating"), "--requests given: no cap note");
            Assert.That(File.ReadAllText(Path.Combine(http, "cli-wiremock.html")), Does.Contain("wiremock"));
            Assert.That(File.ReadAllText(Path.Combine(local, "cli-wiremock.html")), Does.Contain("in-process"));
            foreach (var file in Directory.GetFiles(local).Select(Path.GetFileName).Where(f => !f!.EndsWith(".html", StringComparison.Ordinal)))
            {
                Assert.That(File.ReadAllBytes(Path.Combine(http, file!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(local, file!))), file);
            }
        });
    }

    [Test]
    public void Wiremock_engines_need_neither_java_nor_node_on_the_path()
    {
        var empty = Directory.CreateTempSubdirectory("canarysim-no-java-").FullName;
        var path = Environment.GetEnvironmentVariable("PATH");
        var home = Environment.GetEnvironmentVariable("JAVA_HOME");
        try
        {
            Environment.SetEnvironmentVariable("PATH", empty);
            Environment.SetEnvironmentVariable("JAVA_HOME", null);
            var outDir = Path.Combine(Dir, "o");
            var (code, output, err) = Run("simulate", "--plan", WritePlan(), "--engines", "wiremock", "--engine-timeout-ms", "1400", "--requests", "200", "--out", outDir);
            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(0), err);
                Assert.That(output, Does.Contain("engines over HTTP (WireMock at http://127.0.0.1:"));
                Assert.That(File.Exists(Path.Combine(outDir, "cli-wiremock.result.json")), Is.True);
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
            Environment.SetEnvironmentVariable("JAVA_HOME", home);
            Directory.Delete(empty, recursive: true);
        }
    }

    [TestCase("wiremock", "5000", "expected 10 to 1400")]
    [TestCase("wiremock", "5", "expected 10 to 1400")]
    [TestCase("inprocess", "250", "only used with --engines wiremock")]
    public void Engine_timeout_is_checked(string engines, string timeout, string expected)
    {
        var (code, _, err) = Run("simulate", "--plan", WritePlan(), "--engines", engines, "--engine-timeout-ms", timeout, "--out", Path.Combine(Dir, "o"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain(expected));
    }

    [Test]
    public void Wiremock_engines_simulate_at_most_5000_requests_unless_told()
    {
        var plan = PlanLoader.Parse(Plan, "plan.yaml").Plan;
        Assert.Multiple(() =>
        {
            Assert.That(RolloutSimulator.EffectiveRequests(plan, new SimulationOptions { Engines = SimulationEngines.WireMock }), Is.EqualTo(5_000));
            Assert.That(RolloutSimulator.EffectiveRequests(plan, new SimulationOptions { Engines = SimulationEngines.WireMock, Requests = 12_345 }), Is.EqualTo(12_345));
            Assert.That(RolloutSimulator.EffectiveRequests(plan, new SimulationOptions()), Is.EqualTo(40_000), "in-process: the plan's");
            Assert.That(RolloutSimulator.EffectiveRequests(plan with { Traffic = plan.Traffic with { Requests = 800 } }, new SimulationOptions { Engines = SimulationEngines.WireMock }), Is.EqualTo(800));
        });
    }
}
