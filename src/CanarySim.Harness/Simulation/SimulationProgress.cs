namespace CanarySim.Harness.Simulation;

/// <summary>Where a running simulation is (for progress bars).</summary>
/// <param name="At">Virtual time.</param>
/// <param name="Fraction">Share of the plan duration done (0–1).</param>
/// <param name="Stage">Current stage name.</param>
/// <param name="Percent">Router canary percentage.</param>
/// <param name="KillSwitch">Kill switch on.</param>
/// <param name="Requests">Requests simulated so far.</param>
public sealed record SimulationProgress(DateTimeOffset At, double Fraction, string Stage, double Percent, bool KillSwitch, long Requests);
