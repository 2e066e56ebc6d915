using System.Text.Json.Serialization;

namespace CanarySim.Harness.Simulation;

/// <summary>How the simulator's engines answer.</summary>
public enum SimulationEngines
{
    /// <summary>In-process synthetic engines (fast: millions of requests per second).</summary>
    [JsonStringEnumMemberName("in-process")]
    InProcess,
    /// <summary>WireMock-stubbed engines over HTTP through the real <c>CanaryExecutor</c> (slow; for small request counts).</summary>
    [JsonStringEnumMemberName("wiremock")]
    WireMock,
}
