namespace CanarySim.Core.Reporting;

/// <summary>When a rollout stage was active in a simulation.</summary>
/// <param name="Name">Stage name.</param>
/// <param name="Kind">shadow, canary or progressive.</param>
/// <param name="Percent">Planned percentage.</param>
/// <param name="Entered">When it began.</param>
/// <param name="Left">When it ended (null: still active at the end).</param>
/// <param name="Outcome">How it ended, in words.</param>
public sealed record StageSpan(string Name, string Kind, double Percent, DateTimeOffset Entered, DateTimeOffset? Left, string Outcome);
