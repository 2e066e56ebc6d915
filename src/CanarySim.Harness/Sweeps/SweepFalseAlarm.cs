namespace CanarySim.Harness.Sweeps;

/// <summary>One false alarm of a sweep: which run, what the guard did, when, and the checks that raised it.</summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="Scenario">The run's scenario (for an injected run: the alarm came before the injection).</param>
/// <param name="Action">What the guard did.</param>
/// <param name="At">When (ISO, UTC).</param>
/// <param name="Checks">The checks that raised it.</param>
public sealed record SweepFalseAlarm(int Seed, string Scenario, string Action, string At, IReadOnlyList<string> Checks);
