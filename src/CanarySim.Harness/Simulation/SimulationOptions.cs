using System.ComponentModel.DataAnnotations;
using CanarySim.Core.Detection;

namespace CanarySim.Harness.Simulation;

/// <summary>How to run one simulation. Every default lives here.</summary>
public sealed record SimulationOptions
{
    /// <summary>Random seed: the same seed and plan give byte-identical outputs. The default value is 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Requests over the whole plan; null uses the plan's <c>traffic.requests</c>. The default value is null.</summary>
    [Range(1L, 1_000_000_000L)]
    public long? Requests { get; init; }

    /// <summary>Traffic profile override (<c>steady</c> or <c>diurnal</c>); null uses the plan's. The default value is null.</summary>
    public string? Profile { get; init; }

    /// <summary>Faults to inject (in addition to the plan's own <c>inject:</c> list).</summary>
    public IReadOnlyList<FaultInjection> Injections { get; init; } = [];

    /// <summary>In-process or WireMock engines. The default value is <see cref="SimulationEngines.InProcess"/>.</summary>
    public SimulationEngines Engines { get; init; } = SimulationEngines.InProcess;

    /// <summary>How WireMock engines are driven (used with <see cref="SimulationEngines.WireMock"/>).</summary>
    public WireMockEngineOptions WireMock { get; init; } = new();

    /// <summary>Folder that release-gate artifact paths in the plan are relative to (the plan's folder). The default value is the current folder.</summary>
    public string ArtifactBase { get; init; } = ".";

    /// <summary>Chart buckets in the report (at most; whole evaluation intervals). The default value is 400.</summary>
    [Range(10, 10_000)]
    public int ChartBuckets { get; init; } = 400;

    /// <summary>
    /// Samples the metrics store keeps per engine, at least the detector's run window (the opt-in judge
    /// reads its samples from here). The default value is 4 096: the detector's windows keep their own
    /// samples and are brought up to date before a sample they have not seen is dropped, so a smaller
    /// store only means fewer long-lived objects for the garbage collector.
    /// </summary>
    [Range(1_000, 100_000_000)]
    public int RetainSamplesPerEngine { get; init; } = 4_096;

    /// <summary>Latency (ms) recorded for a timed-out run. The default value is 5000 (the router's v2 timeout).</summary>
    [Range(1.0, 600_000.0)]
    public double TimeoutLatencyMs { get; init; } = 5000;

    /// <summary>
    /// Draws the second half of each evaluation interval's requests on a second core when the machine has
    /// one (in-process engines only). The outputs are byte-identical either way: the requests are always
    /// split in two seeded streams; only where the second one runs changes. The default value is true.
    /// </summary>
    public bool ParallelDraws { get; init; } = true;

    /// <summary>
    /// Writes the hourly route and decision-diff aggregates into the audit log (<see cref="SimulationResult.Audit"/>).
    /// Off, the counts that steer the rollout (divergence) are still kept; only the aggregate events are not built.
    /// A sweep turns it off: it reads only the guard's own events. The default value is true.
    /// </summary>
    public bool RecordRouteAudit { get; init; } = true;

    /// <summary>The detector policy; null derives it from the plan's rollback triggers. The default value is null.</summary>
    public DetectorOptions? Policy { get; init; }

    /// <summary>Receives progress about every 0.5 % of the plan (null: none).</summary>
    public Action<SimulationProgress>? Progress { get; init; }
}
