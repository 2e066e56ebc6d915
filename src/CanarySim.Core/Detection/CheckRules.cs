namespace CanarySim.Core.Detection;

/// <summary>The rules a list of declared checks must meet beyond the schema (which the loader applies to files).</summary>
internal static class CheckRules
{
    /// <summary>Every problem as "Checks[i] (name).field: message" lines.</summary>
    public static IEnumerable<string> Validate(IReadOnlyList<CheckDefinition> checks)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < checks.Count; i++)
        {
            var c = checks[i];
            var at = $"Checks[{i}] ({c.Name})";
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                yield return $"Checks[{i}].Name: must not be empty.";
            }
            else if (!seen.Add(c.Name))
            {
                yield return $"{at}.Name: duplicate check name.";
            }
            if (c.Compare != CheckCompare.Judge && c.Max is null && c.Min is null)
            {
                yield return $"{at}.Max: a check needs max, min or both.";
            }
            foreach (var (name, bound) in new[] { ("Max", c.Max), ("Min", c.Min), ("Baseline", c.Baseline) })
            {
                if (bound is { } b && !double.IsFinite(b))
                {
                    yield return $"{at}.{name}: must be a finite number.";
                }
            }
            if (c.Metric == "*" && c.Compare != CheckCompare.Judge)
            {
                yield return $"{at}.Metric: \"*\" is only for compare \"judge\" (every metric of the policy's judge).";
            }
            if (c.Compare == CheckCompare.Judge && c.Source is not null)
            {
                yield return $"{at}.Source: the judge compares sample values and cannot read an external source.";
            }
            if (c.Source is { } source && string.IsNullOrWhiteSpace(source.Prometheus))
            {
                yield return $"{at}.Source: expected {{\"prometheus\": \"<query>\"}}.";
            }
            if (c.MinSamples is < 0 || c.FailureLimit is < 0 || c.InconclusiveLimit is < 0 || c.ConsecutiveErrorLimit is < 0)
            {
                yield return $"{at}.MinSamples: min_samples and the limits must be 0 or more.";
            }
            if (c.Confidence is { } confidence)
            {
                if (!(confidence > 0.5 && confidence < 1))
                {
                    yield return $"{at}.Confidence: must be above 0.5 and below 1 (e.g. 0.95).";
                }
                else if (c.Compare is not (CheckCompare.Drop or CheckCompare.Increase or CheckCompare.Ratio))
                {
                    yield return $"{at}.Confidence: only a check with compare drop, increase or ratio has an interval.";
                }
                else if (c.Aggregate is not (CheckAggregate.Rate or CheckAggregate.Mean))
                {
                    yield return $"{at}.Confidence: an interval needs aggregate rate or mean (for other aggregates use compare judge).";
                }
                else if (c.Source is not null || c.Baseline is not null)
                {
                    yield return $"{at}.Confidence: an interval compares v1's and v2's runs, not {(c.Source is not null ? "an external source" : "a fixed baseline")}.";
                }
            }
            if (c.Sustain is { } sustain && sustain < TimeSpan.Zero)
            {
                yield return $"{at}.Sustain: must not be negative.";
            }
        }
    }
}
