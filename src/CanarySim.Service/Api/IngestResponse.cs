using CanarySim.Service.Guard;

namespace CanarySim.Service.Api;

/// <summary><c>POST /guard/samples</c> answer.</summary>
/// <param name="Accepted">Samples stored.</param>
/// <param name="V1">Of which v1.</param>
/// <param name="V2">Of which v2.</param>
/// <param name="Window">The window aggregates after the ingest.</param>
/// <param name="OutsideWindow">Accepted samples dated before a time window's start: stored, but not judged (always 0 for a run-count window).</param>
public sealed record IngestResponse(int Accepted, int V1, int V2, WindowView Window, int OutsideWindow);
