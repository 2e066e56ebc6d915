namespace CanarySim.Core.Reporting;

/// <summary>A vertical marker on the report's charts.</summary>
/// <param name="At">When.</param>
/// <param name="Kind"><c>promotion</c>, <c>breach</c>, <c>rollback</c>, <c>injection</c>, <c>gate</c>, <c>slowdown</c> or <c>reduce</c>.</param>
/// <param name="Label">Short text.</param>
public sealed record ReportMarker(DateTimeOffset At, string Kind, string Label);
