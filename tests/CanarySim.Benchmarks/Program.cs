using BenchmarkDotNet.Running;

// Run all suites: dotnet run -c Release --project tests/CanarySim.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
