using System.ComponentModel.DataAnnotations;
using CanarySim.Harness.WireMock;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// How <see cref="SimulationEngines.WireMock"/> simulations drive the WireMock-stubbed engines over HTTP.
/// Every default lives here.
/// </summary>
public sealed record WireMockEngineOptions
{
    /// <summary>
    /// Requests simulated when neither <see cref="SimulationOptions.Requests"/> nor a smaller
    /// <c>traffic.requests</c> is given: each simulated request is one or two HTTP calls, so the
    /// plan's millions are capped. The default value is 5000.
    /// </summary>
    [Range(1L, 10_000_000L)]
    public long DefaultRequests { get; init; } = 5_000;

    /// <summary>
    /// Wall-clock budget of one engine call: the executor's v2 and shadow timeouts (a v2 that takes
    /// longer counts as a timeout and v1 serves); each <c>HttpEngine</c> gets twice this as its own
    /// backstop timeout, which is what bounds a v1 call. Must stay below the 3 s delay of the
    /// directed-timeout stub (<c>fixtures/wiremock/faults/planner-directed-faults.json</c>). The default
    /// value is 250 milliseconds (a timed-out run costs that much wall time, never virtual time).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:01.400")]
    public TimeSpan EngineTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How many times a request is sent again when the engines' HTTP outcome disagrees with the seeded
    /// one (e.g. a healthy answer that missed <see cref="EngineTimeout"/> on a busy machine) before the
    /// simulation stops with a <see cref="SimulationEngineException"/>. The default value is 2.
    /// </summary>
    [Range(0, 10)]
    public int MismatchRetries { get; init; } = 2;

    /// <summary>Calls per engine sent before the simulation (warming both JITs), then removed from the request journal. The default value is 20.</summary>
    [Range(0, 1_000)]
    public int WarmupCalls { get; init; } = 20;

    /// <summary>
    /// A running server to use instead of starting one (it is reset: its mappings and request journal
    /// are replaced, and it is left running). The default value is null: a new in-process WireMock.Net
    /// server is started on a free 127.0.0.1 port for the run and stopped after it.
    /// </summary>
    public WireMockServer? Server { get; init; }

    /// <summary>
    /// The folder of WireMock mappings (<c>planner-v1.json</c>, <c>planner-v2.json</c>,
    /// <c>simulation/</c>, <c>faults/planner-directed-faults.json</c>). The default value is null:
    /// <c>fixtures/wiremock</c> of the repository found by walking up to <c>CanarySim.sln</c>.
    /// </summary>
    public string? FixturesDirectory { get; init; }
}
