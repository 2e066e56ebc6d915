using System.ComponentModel.DataAnnotations;

namespace CanarySim.Core.Reporting;

/// <summary>Numbers behind the weekly rollup's recommendations. Every default lives here.</summary>
public sealed record RollupOptions
{
    /// <summary>Rows in the top-disagreements table. The default value is 10.</summary>
    [Range(1, 1000)]
    public int TopDisagreements { get; init; } = 10;

    /// <summary>Agent change rate above which the rollup recommends slowing the rollout. The default value is 0.25.</summary>
    [Range(0.0, 1.0)]
    public double HighDisagreementRate { get; init; } = 0.25;

    /// <summary>Agent change rate above which the rollup asks for a review of the top disagreement. The default value is 0.10.</summary>
    [Range(0.0, 1.0)]
    public double ReviewDisagreementRate { get; init; } = 0.10;

    /// <summary>Length of the default period (ending at "now"). The default value is 7 days.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromDays(7);
}
