using System.ComponentModel.DataAnnotations;
using CanarySim.Core.Detection;

namespace CanarySim.Harness.Sweeps;

/// <summary>What a sweep runs: which seeds (and which shard of them), under which scenarios, with which policy.</summary>
public sealed record SweepSettings
{
    /// <summary>The seeds of the whole sweep.</summary>
    public required SeedRange Seeds { get; init; }

    /// <summary>The scenarios, the healthy one first (see <see cref="InjectionRange.Scenarios"/>).</summary>
    public required IReadOnlyList<SweepScenario> Scenarios { get; init; }

    /// <summary>The shard of the seeds this process runs. The default value is the whole sweep (1/1).</summary>
    public SweepShard Shard { get; init; } = SweepShard.Whole;

    /// <summary>Requests per run; null uses the plan's <c>traffic.requests</c>. The default value is null.</summary>
    [Range(1L, 1_000_000_000L)]
    public long? Requests { get; init; }

    /// <summary>The detector policy; null derives it from the plan's rollback triggers. The default value is null.</summary>
    public DetectorOptions? Policy { get; init; }

    /// <summary>Runs at once (one per core is the most that helps). The default value is the machine's processor count.</summary>
    [Range(1, 1024)]
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Folder that release-gate artifact paths in the plan are relative to. The default value is the current folder.</summary>
    public string ArtifactBase { get; init; } = ".";
}
