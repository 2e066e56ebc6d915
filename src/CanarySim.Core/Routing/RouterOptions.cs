using System.ComponentModel.DataAnnotations;

namespace CanarySim.Core.Routing;

/// <summary>
/// Options of the canary router and its executor (Polly v8 options style: every default stated
/// here and nowhere else).
/// </summary>
public sealed class RouterOptions
{
    /// <summary>The default diff dimensions: agent, steps, tools, dry_run.</summary>
    public static IReadOnlyList<string> DefaultDiffDimensions { get; } = ["agent", "steps", "tools", "dry_run"];

    /// <summary>
    /// The bucketing algorithm. The default value is <see cref="BucketingAlgorithm.CanarySim"/>.
    /// </summary>
    public BucketingAlgorithm Algorithm { get; set; } = BucketingAlgorithm.CanarySim;

    /// <summary>
    /// The shadow's own timeout budget, measured from when both engines start: a slow or failing
    /// shadow never adds more than this to the primary's latency. The default value is
    /// 1600 milliseconds, the detector's v2 p95 latency threshold.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ShadowTimeout { get; set; } = TimeSpan.FromMilliseconds(1600);

    /// <summary>
    /// How long v2 may take when it serves before v1 takes over as a fallback (a timeout
    /// is a v2 failure). The default value is 5 seconds, the release
    /// gate's p95 latency SLA.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan V2Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Dimensions the decision diff compares: <c>agent</c>, <c>steps</c>, <c>tools</c>,
    /// <c>dry_run</c>, or any key of <see cref="EngineResponse.Dimensions"/>. The default value is
    /// <c>agent, steps, tools, dry_run</c>.
    /// </summary>
    public IReadOnlyList<string> DiffDimensions { get; set; } = DefaultDiffDimensions;

    /// <summary>
    /// Random source for unkeyed requests (injectable; pass a seeded <see cref="Random"/>
    /// for reproducible runs; access is serialised by the router). The default value is
    /// <see cref="Random.Shared"/>.
    /// </summary>
    public Random Random { get; set; } = Random.Shared;

    /// <summary>Clock for latencies and timeouts. The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks ranges; throws <see cref="ValidationException"/> naming the bad option.</summary>
    public RouterOptions Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        if (!Enum.IsDefined(Algorithm))
        {
            throw new ValidationException($"{nameof(Algorithm)}: unknown algorithm {(int)Algorithm}.");
        }
        ArgumentNullException.ThrowIfNull(DiffDimensions);
        ArgumentNullException.ThrowIfNull(Random);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        return this;
    }
}
