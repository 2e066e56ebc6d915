using System.Globalization;
using CanarySim.Core.Detection;

namespace CanarySim.Core.Judging;

/// <summary>
/// The statistical judge, after Kayenta's NetflixACAJudge: a pure function from v1 (control) and
/// v2 (experiment) samples to a classification with the numbers behind it.
/// Per metric: NaN values removed or replaced by 0 (<see cref="NanStrategy"/>); no data on a side →
/// Nodata; identical samples → Pass; otherwise a two-sided Mann-Whitney U test with a Hodges–Lehmann
/// shift estimate and confidence interval (<see cref="JudgeOptions.Confidence"/>, default 0.98) is
/// compared with the tolerance band ±<see cref="JudgeOptions.Tolerance"/>·|estimate| (default 0.25):
/// the interval entirely above the band → High, entirely below → Low; the effect size (mean ratio
/// v2/v1) must also exceed the metric's allowed increase (High) or fall below its allowed decrease
/// (Low). A classification fails when the metric's direction makes it a regression. A critical metric
/// whose effect size passes its critical bound fails the whole judgement. Group score = share of the
/// group's (non-Nodata) metrics that did not fail; final score = weighted mean of the groups;
/// pass ≥ <see cref="JudgeOptions.PassScore"/> (95), marginal ≥ <see cref="JudgeOptions.MarginalScore"/> (75), else fail.
/// </summary>
public static class CanaryJudge
{
    /// <summary>Judges the opted-in metrics of <paramref name="options"/> over the samples.</summary>
    public static JudgeResult Judge(IReadOnlyList<Sample> control, IReadOnlyList<Sample> experiment, JudgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(options);
        var metrics = options.Metrics
            .Select(m => JudgeMetric(m, Values(control, m.Name), Values(experiment, m.Name), options))
            .ToList();
        return Score(metrics, options);
    }

    /// <summary>Judges one metric from raw values (v1 = control, v2 = experiment).</summary>
    public static MetricJudgement JudgeMetric(JudgedMetric metric, IReadOnlyList<double> control, IReadOnlyList<double> experiment, JudgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(options);
        var c = Clean(control, metric.NanStrategy);
        var e = Clean(experiment, metric.NanStrategy);
        var baseResult = new MetricJudgement
        {
            Name = metric.Name, Group = metric.EffectiveGroup, Classification = MetricClassification.Pass, Failed = false, Critical = metric.Critical,
            Reason = "", ControlCount = c.Length, ExperimentCount = e.Length,
        };
        if (c.Length == 0 || e.Length == 0)
        {
            return baseResult with { Classification = MetricClassification.Nodata, Reason = $"{metric.Name}: no data (v1: {c.Length}, v2: {e.Length} values)" };
        }
        if (c.Order().SequenceEqual(e.Order()))
        {
            return baseResult with { Reason = $"{metric.Name}: v1 and v2 samples are identical", EffectSize = 1.0 };
        }
        var mw = MannWhitney.Test(e, c, options.Confidence);
        var controlMean = c.Average();
        double? effect = controlMean == 0 ? null : e.Average() / controlMean;
        var band = options.Tolerance * Math.Abs(mw.Estimate);
        var classification = MetricClassification.Pass;
        if (mw.CiLower > band && (effect is null || effect > metric.AllowedIncrease))
        {
            classification = MetricClassification.High;
        }
        else if (mw.CiUpper < -band && (effect is null || effect < metric.AllowedDecrease))
        {
            classification = MetricClassification.Low;
        }
        var failed = classification switch
        {
            MetricClassification.High => metric.Direction != MetricDirection.Decrease,
            MetricClassification.Low => metric.Direction != MetricDirection.Increase,
            _ => false,
        };
        var critical = failed && metric.Critical && effect is { } r
            && ((classification == MetricClassification.High && r >= metric.CriticalIncrease) || (classification == MetricClassification.Low && r <= metric.CriticalDecrease));
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{metric.Name}: {WireName.Of(classification)} (U: {mw.U:0.#}, p: {mw.PValue:0.####}, shift: {mw.Estimate:0.###} in [{mw.CiLower:0.###}, {mw.CiUpper:0.###}], tolerance ±{band:0.###}, effect size: {(effect is { } x ? x.ToString("0.###", CultureInfo.InvariantCulture) : "n/a")})");
        return baseResult with
        {
            Classification = classification, Failed = failed, CriticalFailure = critical, Reason = reason,
            U = mw.U, PValue = mw.PValue, Estimate = mw.Estimate, CiLower = mw.CiLower, CiUpper = mw.CiUpper, EffectSize = effect,
        };
    }

    /// <summary>Group scores, final score and classification from per-metric results.</summary>
    public static JudgeResult Score(IReadOnlyList<MetricJudgement> metrics, JudgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        var groups = metrics.GroupBy(m => m.Group, StringComparer.Ordinal).ToList();
        var explicitWeight = groups.Where(g => options.GroupWeights.ContainsKey(g.Key)).Sum(g => options.GroupWeights[g.Key]);
        var implicitCount = groups.Count(g => !options.GroupWeights.ContainsKey(g.Key));
        var share = implicitCount == 0 ? 0 : Math.Max(0, 100 - explicitWeight) / implicitCount;
        var scores = groups.Select(g =>
        {
            var counted = g.Where(m => m.Classification != MetricClassification.Nodata).ToList();
            var score = counted.Count == 0 ? 100 : 100.0 * counted.Count(m => !m.Failed) / counted.Count;
            return new GroupScore(g.Key, score, options.GroupWeights.TryGetValue(g.Key, out var w) ? w : share, counted.Count);
        }).ToList();
        var totalWeight = scores.Sum(s => s.Weight);
        var final = totalWeight <= 0 ? 100 : scores.Sum(s => s.Score * s.Weight) / totalWeight;
        var criticalFailures = metrics.Where(m => m.CriticalFailure).ToList();
        if (criticalFailures.Count > 0)
        {
            final = 0;
        }
        var classification = criticalFailures.Count > 0 || final < options.MarginalScore ? JudgeClassification.Fail
            : final < options.PassScore ? JudgeClassification.Marginal
            : JudgeClassification.Pass;
        var failedNames = metrics.Where(m => m.Failed).Select(m => $"{m.Name} {WireName.Of(m.Classification)}").ToList();
        var head = string.Create(CultureInfo.InvariantCulture,
            $"score {final:0.#} ({WireName.Of(classification)}: pass >= {options.PassScore:0.#}, marginal >= {options.MarginalScore:0.#})");
        var reason = head
            + (failedNames.Count > 0 ? "; failed: " + string.Join(", ", failedNames) : "")
            + (criticalFailures.Count > 0 ? "; critical: " + string.Join(", ", criticalFailures.Select(m => m.Name)) : "");
        return new JudgeResult { Score = final, Classification = classification, Reason = reason, Metrics = metrics, Groups = scores };
    }

    private static double[] Clean(IReadOnlyList<double> values, NanStrategy strategy) =>
        strategy == NanStrategy.Remove ? values.Where(v => !double.IsNaN(v)).ToArray() : values.Select(v => double.IsNaN(v) ? 0 : v).ToArray();

    /// <summary>The values of <paramref name="metric"/> in the samples that carry it (a fixed field or a custom metric).</summary>
    private static List<double> Values(IReadOnlyList<Sample> samples, string metric)
    {
        var values = new List<double>(samples.Count);
        foreach (var s in samples)
        {
            if (SampleMetrics.TryGet(s, metric, out var v))
            {
                values.Add(v);
            }
        }
        return values;
    }
}
