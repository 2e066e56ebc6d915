using System.ComponentModel.DataAnnotations;
using CanarySim.Core.Judging;

namespace CanarySim.Core.Detection;

/// <summary>
/// Every number of the regression detector's policy, with its defaults (also published as fixtures/policies/default.json). Load one
/// from JSON with <see cref="PolicyLoader"/>; check ranges with <see cref="Validate"/>.
/// Comparisons against the thresholds are strict: a value exactly at a threshold is not a breach.
/// </summary>
public sealed class DetectorOptions
{
    /// <summary>Whether the evaluation window counts runs or time. The default value is <see cref="Detection.WindowKind.Count"/>.</summary>
    public WindowKind WindowKind { get; set; } = WindowKind.Count;

    /// <summary>Runs per engine in a count window. The default value is 100.</summary>
    [Range(1, 100_000_000)]
    public int WindowRuns { get; set; } = 100;

    /// <summary>Duration of a time window. The default value is 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan WindowDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Minimum v2 samples before any check but the policy violation is judged (<c>min_samples</c>). The default value is 30.</summary>
    [Range(1, 100_000_000)]
    public int MinSamples { get; set; } = 30;

    /// <summary>Largest allowed quality drop v1 − v2 in points (<c>quality</c>, rollback). The default value is 5.0.</summary>
    [Range(0.0, 100.0)]
    public double QualityDropMax { get; set; } = 5.0;

    /// <summary>Largest allowed v2 p95 latency in ms (<c>latency</c>, rollback). The default value is 1600.</summary>
    [Range(0.0, double.MaxValue)]
    public double LatencyP95MaxMs { get; set; } = 1600;

    /// <summary>Largest allowed v2 mean cost in cents per run (<c>cost</c>, rollback). The default value is 3.0.</summary>
    [Range(0.0, double.MaxValue)]
    public double CostMaxCents { get; set; } = 3.0;

    /// <summary>Largest allowed v2 error rate as a fraction (<c>error_rate</c>, rollback when sustained). The default value is 0.05 (5 %).</summary>
    [Range(0.0, 1.0)]
    public double ErrorRateMax { get; set; } = 0.05;

    /// <summary>How long the error rate must stay breached (<c>error_rate</c>). The default value is 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan ErrorRateSustainFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>v2 p95 latency in ms above which the sustained check counts (<c>latency_sustained</c>, reduce traffic). The default value is 5000.</summary>
    [Range(0.0, double.MaxValue)]
    public double LatencySustainedP95MaxMs { get; set; } = 5000;

    /// <summary>How long the p95 must stay above <see cref="LatencySustainedP95MaxMs"/> (<c>latency_sustained</c>). The default value is 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan LatencySustainFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Multiple of the projected cost above which v2's mean cost is a spike (<c>cost_spike</c>, pause). The default value is 3.0.</summary>
    [Range(1.0, double.MaxValue)]
    public double CostSpikeFactor { get; set; } = 3.0;

    /// <summary>Projected cost in cents per run; when null, v1's mean cost in the window is the projection. The default value is null.</summary>
    [Range(0.0, double.MaxValue)]
    public double? ProjectedCostCents { get; set; }

    /// <summary>Largest allowed number of v2 complaints in <see cref="ComplaintsWindow"/> (<c>complaints</c>, manual review). The default value is 10.</summary>
    [Range(0, int.MaxValue)]
    public int ComplaintsMax { get; set; } = 10;

    /// <summary>Period over which complaints are counted. The default value is 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ComplaintsWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Largest allowed v2 fallback rate as a fraction over the rolling run window (<c>fallback_rate</c>, rollback). The default value is 0.10 (10 %).</summary>
    [Range(0.0, 1.0)]
    public double FallbackRateMax { get; set; } = 0.10;

    /// <summary>Runs in the rolling fallback window. The default value is 20.</summary>
    [Range(1, 100_000_000)]
    public int FallbackWindowRuns { get; set; } = 20;

    /// <summary>Failed measurements tolerated before an analysis run fails (Argo <c>failureLimit</c>). The default value is 0.</summary>
    [Range(0, int.MaxValue)]
    public int FailureLimit { get; set; }

    /// <summary>Inconclusive measurements tolerated before an analysis run is inconclusive (Argo <c>inconclusiveLimit</c>). The default value is 0.</summary>
    [Range(0, int.MaxValue)]
    public int InconclusiveLimit { get; set; }

    /// <summary>Consecutive error measurements tolerated before an analysis run errors (Argo <c>consecutiveErrorLimit</c>). The default value is 4.</summary>
    [Range(0, int.MaxValue)]
    public int ConsecutiveErrorLimit { get; set; } = 4;

    /// <summary>When true a rollback verdict halves the canary percentage on each consecutive breach and reaches 0 % after <see cref="StagedRollbackSteps"/> breaches (e.g. 50 → 25 → 0). The default value is false (straight to 0 %).</summary>
    public bool StagedRollback { get; set; }

    /// <summary>Consecutive rollback verdicts a staged rollback takes to reach 0 %: each but the last halves. The default value is 2.</summary>
    [Range(1, 32)]
    public int StagedRollbackSteps { get; set; } = 2;

    /// <summary>Factor a <c>reduce_traffic</c> action multiplies the canary percentage by. The default value is 0.5 (halve).</summary>
    [Range(0.0, 1.0)]
    public double ReduceTrafficFactor { get; set; } = 0.5;

    /// <summary>The statistical judge; off unless the policy opts metrics in. The default value judges no metric.</summary>
    public JudgeOptions Judge { get; set; } = new();

    /// <summary>
    /// The declared checks of a <c>canarysim.policy/v2</c> policy, evaluated in order. The default value
    /// is null: the built-in checks built from the numbers above (<see cref="DefaultChecks.From"/>).
    /// </summary>
    public IReadOnlyList<CheckDefinition>? Checks { get; set; }

    /// <summary>The evaluation window these options describe.</summary>
    public WindowSpec Window => WindowKind == WindowKind.Count ? WindowSpec.LastRuns(WindowRuns) : WindowSpec.LastDuration(WindowDuration);

    /// <summary>Every range violation, as "field: message" lines (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var errors = results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}").ToList();
        foreach (var property in new (string Name, double Value)[]
                 {
                     (nameof(QualityDropMax), QualityDropMax), (nameof(LatencyP95MaxMs), LatencyP95MaxMs), (nameof(CostMaxCents), CostMaxCents),
                     (nameof(ErrorRateMax), ErrorRateMax), (nameof(LatencySustainedP95MaxMs), LatencySustainedP95MaxMs),
                     (nameof(CostSpikeFactor), CostSpikeFactor), (nameof(FallbackRateMax), FallbackRateMax), (nameof(ReduceTrafficFactor), ReduceTrafficFactor),
                 })
        {
            if (double.IsNaN(property.Value))
            {
                errors.Add($"{property.Name}: must be a number, not NaN.");
            }
        }
        errors.AddRange(Judge.Validate().Select(e => $"{nameof(Judge)}.{e}"));
        errors.AddRange(CheckRules.Validate(Checks ?? []));
        return errors;
    }

    /// <summary>Throws <see cref="ValidationException"/> listing every violation when the options are out of range.</summary>
    public DetectorOptions EnsureValid()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ValidationException("Invalid detector options: " + string.Join("; ", errors));
    }

    /// <summary>A copy of these options (the judge options are copied too).</summary>
    public DetectorOptions Clone()
    {
        var copy = (DetectorOptions)MemberwiseClone();
        copy.Judge = Judge.Clone();
        return copy;
    }
}
