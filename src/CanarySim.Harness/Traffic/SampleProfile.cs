namespace CanarySim.Harness.Traffic;

/// <summary>
/// The distributions one engine's samples are drawn from: quality ~ Normal (clamped 0–100),
/// latency ~ LogNormal (median and spread; p95 ≈ median·e^(1.645·spread)), cost ~ Normal (≥ 0),
/// tokens ~ Normal (≥ 0), and Bernoulli rates for error, fallback, policy violation and complaint.
/// </summary>
public sealed record SampleProfile
{
    /// <summary>Mean quality (0–100). The default value is 92.</summary>
    public double QualityMean { get; init; } = 92;

    /// <summary>Quality standard deviation. The default value is 3.</summary>
    public double QualityStdDev { get; init; } = 3;

    /// <summary>Median latency in ms. The default value is 700.</summary>
    public double LatencyMedianMs { get; init; } = 700;

    /// <summary>Log-normal sigma of latency (0 gives a constant latency). The default value is 0.3.</summary>
    public double LatencySpread { get; init; } = 0.3;

    /// <summary>Mean cost per run in cents. The default value is 1.5.</summary>
    public double CostMeanCents { get; init; } = 1.5;

    /// <summary>Cost standard deviation in cents. The default value is 0.3.</summary>
    public double CostStdDevCents { get; init; } = 0.3;

    /// <summary>Share of runs that fail (0–1). The default value is 0.005.</summary>
    public double ErrorRate { get; init; } = 0.005;

    /// <summary>Share of runs that fell back to v1 (0–1). The default value is 0.</summary>
    public double FallbackRate { get; init; }

    /// <summary>Share of runs with a policy or security violation (0–1). The default value is 0.</summary>
    public double PolicyViolationRate { get; init; }

    /// <summary>Share of runs a user complains about (0–1). The default value is 0.</summary>
    public double ComplaintRate { get; init; }

    /// <summary>Mean tokens per run. The default value is 1200.</summary>
    public double TokensMean { get; init; } = 1200;

    /// <summary>Change over time. The default value is <see cref="SampleDrift.None"/>.</summary>
    public SampleDrift Drift { get; init; } = SampleDrift.None;

    /// <summary>A healthy engine (the defaults).</summary>
    public static SampleProfile Healthy { get; } = new();

    /// <summary>Checks the ranges.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        Rate(ErrorRate, nameof(ErrorRate));
        Rate(FallbackRate, nameof(FallbackRate));
        Rate(PolicyViolationRate, nameof(PolicyViolationRate));
        Rate(ComplaintRate, nameof(ComplaintRate));
        NonNegative(QualityStdDev, nameof(QualityStdDev));
        NonNegative(LatencySpread, nameof(LatencySpread));
        NonNegative(CostStdDevCents, nameof(CostStdDevCents));
        if (!(LatencyMedianMs > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(LatencyMedianMs), LatencyMedianMs, "Median latency must be > 0 ms.");
        }
    }

    private static void Rate(double v, string name)
    {
        if (!(v >= 0 && v <= 1))
        {
            throw new ArgumentOutOfRangeException(name, v, "A rate must be between 0 and 1.");
        }
    }

    private static void NonNegative(double v, string name)
    {
        if (!(v >= 0))
        {
            throw new ArgumentOutOfRangeException(name, v, "Must be ≥ 0.");
        }
    }
}
