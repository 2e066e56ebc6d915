namespace CanarySim.Core.Reporting;

/// <summary>One entry of the verdict trail: an evaluation whose verdict or action differs from the one before.</summary>
/// <param name="At">When.</param>
/// <param name="Stage">Stage name.</param>
/// <param name="Percent">Router percentage.</param>
/// <param name="Verdict">Detector verdict.</param>
/// <param name="Action">Detector action.</param>
/// <param name="Breaches">Breach reasons.</param>
/// <param name="Repeats">How many evaluations in a row had this verdict and action.</param>
public sealed record VerdictTrailEntry(DateTimeOffset At, string Stage, double Percent, string Verdict, string Action, IReadOnlyList<string> Breaches, long Repeats);
