using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;

namespace CanarySim.Benchmarks;

/// <summary>
/// The seven-week planner plan (fixtures/plans/planner-7-week.yaml) simulated end to end with in-process
/// engines: every request routed by the real CanaryRouter and recorded in the real InMemoryMetricsStore,
/// the real CanaryGuard evaluating every 2 virtual minutes (35 280 evaluations). Target (issue 7): 10 000 000
/// requests in under 10 s. Run: dotnet run -c Release --project tests/CanarySim.Benchmarks -- --filter '*Simulation*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 2)]
public class SimulationBenchmarks
{
    private RolloutPlan _plan = null!;

    [Params(1_000_000, 10_000_000)]
    public long Requests { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "fixtures", "plans", "planner-7-week.yaml")))
        {
            dir = dir.Parent;
        }
        _plan = PlanFile.Load(Path.Combine(dir?.FullName ?? ".", "fixtures", "plans", "planner-7-week.yaml")).Plan;
    }

    [Benchmark(Description = "7-week plan, in-process engines")]
    public long SevenWeekPlan() => new RolloutSimulator(_plan, new SimulationOptions { Seed = 42, Requests = Requests }).Run().Requests;
}
