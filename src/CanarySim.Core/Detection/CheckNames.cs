namespace CanarySim.Core.Detection;

/// <summary>The check names used in <c>breaches[].check</c> and in policy files.</summary>
public static class CheckNames
{
    /// <summary>Minimum v2 samples.</summary>
    public const string MinSamples = "min_samples";
    /// <summary>Quality drop v1 − v2.</summary>
    public const string Quality = "quality";
    /// <summary>v2 latency p95.</summary>
    public const string Latency = "latency";
    /// <summary>v2 mean cost per run.</summary>
    public const string Cost = "cost";
    /// <summary>v2 error rate, sustained.</summary>
    public const string ErrorRate = "error_rate";
    /// <summary>v2 latency p95, sustained.</summary>
    public const string LatencySustained = "latency_sustained";
    /// <summary>Any policy / security violation.</summary>
    public const string PolicyViolation = "policy_violation";
    /// <summary>v2 mean cost against the projection.</summary>
    public const string CostSpike = "cost_spike";
    /// <summary>User complaints per hour.</summary>
    public const string Complaints = "complaints";
    /// <summary>Fallback rate over the rolling run window.</summary>
    public const string FallbackRate = "fallback_rate";
    /// <summary>The statistical judge (opt-in).</summary>
    public const string Judge = "judge";
    /// <summary>The metric source failed (an error measurement).</summary>
    public const string MetricSource = "metric_source";

    /// <summary>The action the detector takes on a breach of <paramref name="check"/>.</summary>
    public static VerdictAction ActionFor(string check) => check switch
    {
        Quality or Latency or Cost or ErrorRate or PolicyViolation or FallbackRate or Judge => VerdictAction.Rollback,
        LatencySustained => VerdictAction.ReduceTraffic,
        CostSpike => VerdictAction.Pause,
        Complaints => VerdictAction.ManualReview,
        _ => VerdictAction.Hold,
    };
}
