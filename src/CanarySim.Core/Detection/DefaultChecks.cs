using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// The built-in checks as declared checks: the numbers of a flat <see cref="DetectorOptions"/> turned
/// into the <c>canarysim.policy/v2</c> form. With default options this is exactly the default
/// policy (<c>fixtures/policies/default.json</c>, embedded as <see cref="PolicyLoader.DefaultPolicyJson"/>).
/// </summary>
public static class DefaultChecks
{
    /// <summary>The checks the flat options describe, in the detector's fixed order (policy violation first).</summary>
    public static IReadOnlyList<CheckDefinition> From(DetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checks = new List<CheckDefinition>
        {
            new()
            {
                Name = CheckNames.PolicyViolation, Metric = "policy_violation", Aggregate = CheckAggregate.Count, Max = 0, MinSamples = 0,
                Action = VerdictAction.Rollback,
            },
            new()
            {
                Name = CheckNames.Quality, Metric = "quality", Aggregate = CheckAggregate.Mean, Compare = CheckCompare.Drop, Max = options.QualityDropMax,
                Action = VerdictAction.Rollback, IfNoBaseline = MissingBaseline.Skip,
            },
            new() { Name = CheckNames.Latency, Metric = "latency_ms", Aggregate = CheckAggregate.P95, Max = options.LatencyP95MaxMs, Action = VerdictAction.Rollback },
            new() { Name = CheckNames.Cost, Metric = "cost_cents", Aggregate = CheckAggregate.Mean, Max = options.CostMaxCents, Action = VerdictAction.Rollback },
            new()
            {
                Name = CheckNames.ErrorRate, Metric = "error", Aggregate = CheckAggregate.Rate, Max = options.ErrorRateMax, Sustain = options.ErrorRateSustainFor,
                Action = VerdictAction.Rollback,
            },
            new()
            {
                Name = CheckNames.LatencySustained, Metric = "latency_ms", Aggregate = CheckAggregate.P95, Max = options.LatencySustainedP95MaxMs,
                Sustain = options.LatencySustainFor, Action = VerdictAction.ReduceTraffic,
            },
            new()
            {
                Name = CheckNames.CostSpike, Metric = "cost_cents", Aggregate = CheckAggregate.Mean, Compare = CheckCompare.Ratio, Max = options.CostSpikeFactor,
                Baseline = options.ProjectedCostCents, Action = VerdictAction.Pause, IfNoBaseline = MissingBaseline.Skip,
            },
            new()
            {
                Name = CheckNames.Complaints, Metric = "complaint", Aggregate = CheckAggregate.Count, Max = options.ComplaintsMax,
                Window = WindowSpec.LastDuration(options.ComplaintsWindow), Action = VerdictAction.ManualReview,
            },
            new()
            {
                Name = CheckNames.FallbackRate, Metric = "fallback", Aggregate = CheckAggregate.Rate, Max = options.FallbackRateMax,
                Window = WindowSpec.LastRuns(options.FallbackWindowRuns), Action = VerdictAction.Rollback,
            },
        };
        if (options.Judge.Enabled)
        {
            checks.Add(new CheckDefinition
            {
                Name = CheckNames.Judge, Metric = "*", Aggregate = CheckAggregate.Mean, Compare = CheckCompare.Judge, Min = options.Judge.MarginalScore,
                Action = VerdictAction.Rollback, IfNoBaseline = MissingBaseline.Skip,
            });
        }
        return checks;
    }

    /// <summary>The engine a check reads for its own value (v2 unless a value check names v1).</summary>
    internal static Engine SideOf(CheckDefinition check) => check.Compare == CheckCompare.Value ? check.Engine : Engine.V2;
}
