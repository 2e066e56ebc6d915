namespace CanarySim.Harness.Simulation;

/// <summary>
/// What a <see cref="SimulationEngines.WireMock"/> run sent over HTTP. Diagnostics measured on the
/// wall clock: never part of any output file (those depend only on the plan, options and seed).
/// </summary>
public sealed record WireMockRunStats
{
    /// <summary>The server's root URL.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>Simulated requests sent to the engines (served traffic plus rollback-rehearsal smoke runs).</summary>
    public long Requests { get; init; }

    /// <summary>HTTP calls to v1 (<c>POST /v1/plan</c>) during the simulation, retries and comparisons included.</summary>
    public long V1Calls { get; init; }

    /// <summary>HTTP calls to v2 (<c>POST /v2/plan</c>) during the simulation, retries and comparisons included.</summary>
    public long V2Calls { get; init; }

    /// <summary>Calls made only to diff decisions (a diff sample outside shadow mode asks the engine that did not serve).</summary>
    public long ComparisonCalls { get; init; }

    /// <summary>Requests sent again because their HTTP outcome disagreed with the seeded one.</summary>
    public long Retries { get; init; }

    /// <summary>Warm-up calls sent before the simulation (not in the request journal afterwards).</summary>
    public long WarmupCalls { get; init; }

    /// <summary>Wall time spent in engine calls.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Wall time to start the server (installing WireMock on first use), load the stubs and warm up.</summary>
    public TimeSpan Startup { get; init; }

    /// <summary>HTTP calls in total.</summary>
    public long Calls => V1Calls + V2Calls;

    /// <summary>HTTP calls per second of <see cref="Elapsed"/>.</summary>
    public double CallsPerSecond => Calls / Math.Max(Elapsed.TotalSeconds, 1e-6);

    /// <summary>Simulated requests per second of <see cref="Elapsed"/>.</summary>
    public double RequestsPerSecond => Requests / Math.Max(Elapsed.TotalSeconds, 1e-6);
}
