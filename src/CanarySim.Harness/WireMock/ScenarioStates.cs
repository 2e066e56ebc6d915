namespace CanarySim.Harness.WireMock;

/// <summary>Well-known WireMock scenario state names.</summary>
public static class ScenarioStates
{
    /// <summary>The state every scenario starts in and returns to on reset: <c>Started</c>.</summary>
    public const string Started = "Started";
}
