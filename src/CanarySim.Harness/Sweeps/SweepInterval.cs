namespace CanarySim.Harness.Sweeps;

/// <summary>A confidence interval of a proportion.</summary>
/// <param name="Lower">Lower bound (0–1).</param>
/// <param name="Upper">Upper bound (0–1).</param>
public sealed record SweepInterval(double Lower, double Upper)
{
    /// <summary>The 95 % Wilson interval of <paramref name="k"/> of <paramref name="n"/>.</summary>
    public static SweepInterval Wilson95(int k, int n)
    {
        var w = WilsonInterval.Of(k, n);
        return new SweepInterval(w.Lower, w.Upper);
    }
}
