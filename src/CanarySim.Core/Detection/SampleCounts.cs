namespace CanarySim.Core.Detection;

/// <summary>Samples per engine in the evaluation window (<c>{"v1":100,"v2":42}</c>).</summary>
/// <param name="V1">v1 runs in the window.</param>
/// <param name="V2">v2 runs in the window.</param>
public sealed record SampleCounts(int V1, int V2);
