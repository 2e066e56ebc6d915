namespace CanarySim.Service.Guard;

/// <summary>The current window.</summary>
/// <param name="Description">e.g. <c>last 100 runs</c>.</param>
/// <param name="V1">v1 aggregates.</param>
/// <param name="V2">v2 aggregates.</param>
public sealed record WindowView(string Description, AggregatesView V1, AggregatesView V2);
