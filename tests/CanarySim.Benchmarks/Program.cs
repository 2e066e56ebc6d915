using BenchmarkDotNet.Running;
using CanarySim.Benchmarks;

// Run all suites: dotnet run -c Release --project tests/CanarySim.Benchmarks -- --filter '*'
// Guard API load test (not BenchmarkDotNet): dotnet run -c Release --project tests/CanarySim.Benchmarks -- loadtest [--rate 2000] [--duration 30]
// Simulator throughput (the real CLI process, timed): dotnet run -c Release --project tests/CanarySim.Benchmarks -- simtime [--requests 10000000] [--runs 3]
// Fleet kill-switch propagation (3 serve processes on PostgreSQL, 2 on SQLite): dotnet run -c Release --project tests/CanarySim.Benchmarks -- fleet [--flips 20] [--rate 1000]
// Sweep throughput, 1 and 2 workers: dotnet run -c Release --project tests/CanarySim.Benchmarks -- sweeptime [--seeds 1-200] [--requests 100000]
if (args.Length > 0 && args[0] == "simtime")
{
    return SimulationTimedRun.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "sweeptime")
{
    return SweepTimedRun.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "fleet")
{
    return await FleetBench.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "loadtest")
{
    return await GuardLoadTest.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(GuardLoadTest).Assembly).Run(args);
return 0;
