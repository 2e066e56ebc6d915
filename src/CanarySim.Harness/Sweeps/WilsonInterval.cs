namespace CanarySim.Harness.Sweeps;

/// <summary>
/// The Wilson score interval for a binomial proportion: the set of true proportions p whose normal-approximation test
/// (with the variance at p, not at the observed share) does not reject k successes in n trials. Unlike the plain
/// k/n ± z·√(p̂(1−p̂)/n) it stays inside [0, 1] and keeps its coverage near 0 % and 100 %, where policy error rates live.
/// </summary>
/// <param name="Successes">k.</param>
/// <param name="Trials">n.</param>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
public sealed record WilsonInterval(int Successes, int Trials, double Lower, double Upper)
{
    /// <summary>The two-sided 95 % normal quantile, Φ⁻¹(0.975).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The observed share k/n (0 when n is 0).</summary>
    public double Rate => Trials == 0 ? 0 : (double)Successes / Trials;

    /// <summary>The interval for <paramref name="successes"/> of <paramref name="trials"/>; with no trials it is [0, 1].</summary>
    public static WilsonInterval Of(int successes, int trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0)
        {
            return new WilsonInterval(0, 0, 0, 1);
        }
        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // the exact ends: no successes means the lower bound is 0, all successes means the upper bound is 1
        var lower = successes == 0 ? 0 : Math.Max(0, centre - half);
        var upper = successes == trials ? 1 : Math.Min(1, centre + half);
        return new WilsonInterval(successes, trials, lower, upper);
    }
}
