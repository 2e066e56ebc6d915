using CanarySim.Core.Detection;

namespace CanarySim.Service.Metrics;

/// <summary>A sample's metrics by name: every fixed field by its sample name (bools as 1/0).</summary>
internal static class SampleMetrics
{
    public static IEnumerable<(string Name, double Value)> Of(Sample s)
    {
        yield return ("latency_ms", s.LatencyMs);
        yield return ("quality", s.Quality);
        yield return ("cost_cents", s.CostCents);
        yield return ("error", s.Error ? 1 : 0);
        yield return ("fallback", s.Fallback ? 1 : 0);
        yield return ("policy_violation", s.PolicyViolation ? 1 : 0);
        yield return ("complaint", s.Complaint ? 1 : 0);
        yield return ("tokens", s.Tokens);
    }
}
