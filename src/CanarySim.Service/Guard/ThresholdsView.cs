namespace CanarySim.Service.Guard;

/// <summary>The policy's thresholds.</summary>
/// <param name="MinSamples">Minimum v2 samples.</param>
/// <param name="QualityDropMax">Largest allowed v1−v2 quality drop.</param>
/// <param name="LatencyP95MaxMs">Largest allowed v2 p95.</param>
/// <param name="CostMaxCents">Largest allowed v2 mean cost.</param>
/// <param name="ErrorRateMax">Largest error rate (fraction).</param>
/// <param name="ErrorRateSustain">How long it must last.</param>
/// <param name="LatencySustainedP95MaxMs">Sustained p95 limit.</param>
/// <param name="LatencySustain">How long it must last.</param>
/// <param name="CostSpikeFactor">Multiple of the projected cost that pauses.</param>
/// <param name="ComplaintsMax">Complaints per hour before manual review.</param>
/// <param name="FallbackRateMax">Largest fallback rate (fraction) over the rolling window.</param>
/// <param name="FallbackWindowRuns">Rolling window size for the fallback rate.</param>
public sealed record ThresholdsView(int MinSamples, double QualityDropMax, double LatencyP95MaxMs, double CostMaxCents, double ErrorRateMax,
    string ErrorRateSustain, double LatencySustainedP95MaxMs, string LatencySustain, double CostSpikeFactor, int ComplaintsMax,
    double FallbackRateMax, int FallbackWindowRuns);
