namespace CanarySim.Core.Tests.Detection;

/// <summary>The instant tests start their fake clocks at (2026-02-19T10:00:00Z, the rehearsals' start).</summary>
internal static class TestClock
{
    public static readonly DateTimeOffset Epoch = CanarySim.Harness.Scenarios.ScenarioWorld.DefaultStart;
}
