using System.ComponentModel.DataAnnotations;

namespace CanarySim.Core.Judging;

/// <summary>
/// Kayenta NetflixACAJudge settings. The judge is opt-in: it runs only for the metrics listed in
/// <see cref="Metrics"/>; fixed thresholds stay the default.
/// </summary>
public sealed class JudgeOptions
{
    /// <summary>Metrics opted in to the judge. The default value is empty (judge off).</summary>
    public IList<JudgedMetric> Metrics { get; set; } = [];

    /// <summary>Confidence level of the Mann-Whitney test and Hodges–Lehmann interval. The default value is 0.98.</summary>
    [Range(0.5, 0.9999)]
    public double Confidence { get; set; } = 0.98;

    /// <summary>Relative tolerance around the baseline (Kayenta's tolerance interval). The default value is 0.25.</summary>
    [Range(0.0, 10.0)]
    public double Tolerance { get; set; } = 0.25;

    /// <summary>Score (0–100) at or above which the judgement passes. The default value is 95.</summary>
    [Range(0.0, 100.0)]
    public double PassScore { get; set; } = 95;

    /// <summary>Score (0–100) at or above which a judgement that does not pass is marginal rather than failing. The default value is 75.</summary>
    [Range(0.0, 100.0)]
    public double MarginalScore { get; set; } = 75;

    /// <summary>Weight (percent) per group; groups not listed share the remaining weight equally. The default value is empty (equal weights).</summary>
    public IDictionary<string, double> GroupWeights { get; set; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>True when at least one metric is opted in.</summary>
    public bool Enabled => Metrics.Count > 0;

    /// <summary>Sample fields the judge can read.</summary>
    public static IReadOnlyList<string> KnownMetrics { get; } = ["latency_ms", "quality", "cost_cents", "tokens"];

    /// <summary>Every violation as "field: message" (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var errors = results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}").ToList();
        if (MarginalScore > PassScore)
        {
            errors.Add($"{nameof(MarginalScore)}: must not exceed {nameof(PassScore)} ({MarginalScore} > {PassScore}).");
        }
        for (var i = 0; i < Metrics.Count; i++)
        {
            var metric = Metrics[i];
            var metricResults = new List<ValidationResult>();
            Validator.TryValidateObject(metric, new ValidationContext(metric), metricResults, validateAllProperties: true);
            errors.AddRange(metricResults.Select(r => $"{nameof(Metrics)}[{i}].{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            if (!KnownMetrics.Contains(metric.Name))
            {
                errors.Add($"{nameof(Metrics)}[{i}].{nameof(JudgedMetric.Name)}: unknown metric '{metric.Name}', expected one of {string.Join(", ", KnownMetrics)}.");
            }
        }
        foreach (var (group, weight) in GroupWeights)
        {
            if (double.IsNaN(weight) || weight < 0)
            {
                errors.Add($"{nameof(GroupWeights)}[{group}]: must be a non-negative number, got {weight}.");
            }
        }
        return errors;
    }

    /// <summary>A deep copy.</summary>
    public JudgeOptions Clone() => new()
    {
        Metrics = Metrics.Select(m => m.MemberwiseCloneMetric()).ToList(),
        Confidence = Confidence,
        Tolerance = Tolerance,
        PassScore = PassScore,
        MarginalScore = MarginalScore,
        GroupWeights = new Dictionary<string, double>(GroupWeights, StringComparer.Ordinal),
    };
}
