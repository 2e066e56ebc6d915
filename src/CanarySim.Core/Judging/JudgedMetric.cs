using System.ComponentModel.DataAnnotations;

namespace CanarySim.Core.Judging;

/// <summary>
/// One metric opted in to the statistical judge (Kayenta's canary metric config): which sample
/// field, its group, the direction that counts as a regression, whether it is critical, the NaN
/// strategy and the effect-size bounds.
/// </summary>
public sealed class JudgedMetric
{
    /// <summary>Sample field to judge: <c>latency_ms</c>, <c>quality</c>, <c>cost_cents</c> or <c>tokens</c>.</summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>Scoring group; the default value is the metric name.</summary>
    public string? Group { get; set; }

    /// <summary>Which change fails. The default value is <see cref="MetricDirection.Either"/>.</summary>
    public MetricDirection Direction { get; set; } = MetricDirection.Either;

    /// <summary>A critical metric that fails makes the whole judgement fail, whatever the score. The default value is false.</summary>
    public bool Critical { get; set; }

    /// <summary>NaN handling. The default value is <see cref="NanStrategy.Remove"/>.</summary>
    public NanStrategy NanStrategy { get; set; } = NanStrategy.Remove;

    /// <summary>Effect size (mean ratio v2/v1) at or below which an increase is tolerated. The default value is 1.0 (no allowance).</summary>
    [Range(1.0, double.MaxValue)]
    public double AllowedIncrease { get; set; } = 1.0;

    /// <summary>Effect size (mean ratio v2/v1) at or above which a decrease is tolerated. The default value is 1.0 (no allowance).</summary>
    [Range(0.0, 1.0)]
    public double AllowedDecrease { get; set; } = 1.0;

    /// <summary>Effect size above which a critical metric's increase fails the whole judgement. The default value is 1.0.</summary>
    [Range(1.0, double.MaxValue)]
    public double CriticalIncrease { get; set; } = 1.0;

    /// <summary>Effect size below which a critical metric's decrease fails the whole judgement. The default value is 1.0.</summary>
    [Range(0.0, 1.0)]
    public double CriticalDecrease { get; set; } = 1.0;

    /// <summary>The group this metric scores in.</summary>
    public string EffectiveGroup => string.IsNullOrEmpty(Group) ? Name : Group;

    internal JudgedMetric MemberwiseCloneMetric() => (JudgedMetric)MemberwiseClone();
}
