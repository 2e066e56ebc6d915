namespace CanarySim.Service.Guard;

/// <summary>One point of the dashboard's v1/v2 charts: the window aggregates after an ingest or an evaluation.</summary>
/// <param name="At">When (service clock).</param>
/// <param name="V1">v1 aggregates.</param>
/// <param name="V2">v2 aggregates.</param>
public sealed record SeriesPoint(DateTimeOffset At, AggregatesView V1, AggregatesView V2);
