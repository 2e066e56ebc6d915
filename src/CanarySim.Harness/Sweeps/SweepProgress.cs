namespace CanarySim.Harness.Sweeps;

/// <summary>Where a sweep stands, reported after every finished run.</summary>
/// <param name="Done">Runs finished.</param>
/// <param name="Total">Runs planned.</param>
/// <param name="Requests">Requests simulated so far.</param>
/// <param name="HealthyRuns">Healthy runs finished.</param>
/// <param name="FalseAlarms">Healthy runs so far that rolled back, paused or reduced traffic.</param>
/// <param name="InjectedRuns">Runs with an injection finished.</param>
/// <param name="Detected">Of those, the ones that rolled back after the injection.</param>
public sealed record SweepProgress(int Done, int Total, long Requests, int HealthyRuns, int FalseAlarms, int InjectedRuns, int Detected);
