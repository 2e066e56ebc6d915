namespace CanarySim.Core.Detection;

/// <summary>
/// Confidence intervals of the comparisons a declared check makes between two engines' runs. Every
/// interval is built with one normal quantile z, so each end on its own is a one-sided bound at the
/// confidence z was taken for. Proportions use Wilson score intervals (defined for 0 and n events),
/// combined by Newcombe's hybrid score method for a difference and compared on the log scale for a
/// ratio (Katz); means use the normal approximation of Welch's interval for a difference and the delta
/// method for a ratio. No method divides by a zero count: the callers refuse empty populations first.
/// </summary>
internal static class ComparisonInterval
{
    /// <summary>One engine's population: runs, runs with a non-zero value, mean and sample variance (null below 2 runs).</summary>
    internal readonly record struct Arm(int Runs, int NonZero, double Mean, double? Variance)
    {
        /// <summary>The share of runs with a non-zero value.</summary>
        public double Rate => Runs == 0 ? 0 : (double)NonZero / Runs;
    }

    /// <summary>A comparison's point estimate and the two ends of its interval.</summary>
    internal readonly record struct Result(double Estimate, double Lower, double Upper);

    /// <summary>The Wilson score interval of <paramref name="x"/> events in <paramref name="n"/> runs (n &gt; 0).</summary>
    public static (double Lower, double Upper) Wilson(int x, int n, double z)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(x, n);
        var p = (double)x / n;
        var z2 = z * z;
        var scale = 1 + z2 / n;
        var centre = (p + z2 / (2.0 * n)) / scale;
        var half = z / scale * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // At 0 or n events one end is exactly 0 or 1; clamp the rounding.
        return (x == 0 ? 0 : Math.Max(0, centre - half), x == n ? 1 : Math.Min(1, centre + half));
    }

    /// <summary>a − b of two proportions (Newcombe's hybrid score interval from the two Wilson intervals).</summary>
    public static Result Difference(int xa, int na, int xb, int nb, double z)
    {
        var (la, ua) = Wilson(xa, na, z);
        var (lb, ub) = Wilson(xb, nb, z);
        double a = (double)xa / na, b = (double)xb / nb, d = a - b;
        return new Result(d, d - Math.Sqrt(Square(a - la) + Square(ub - b)), d + Math.Sqrt(Square(ua - a) + Square(b - lb)));
    }

    /// <summary>
    /// a ÷ b of two proportions on the log scale (Katz). When one side has no event, 0.5 is added to each cell
    /// of both (events and non-events: x + 0.5 of n + 1), so the ratio and its interval stay finite. With no
    /// event on either side there is nothing to compare: null.
    /// </summary>
    public static Result? Ratio(int xa, int na, int xb, int nb, double z)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(na);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nb);
        if (xa == 0 && xb == 0)
        {
            return null;
        }
        double ca = xa, cna = na, cb = xb, cnb = nb;
        if (xa == 0 || xb == 0)
        {
            (ca, cna, cb, cnb) = (ca + 0.5, cna + 1, cb + 0.5, cnb + 1);
        }
        var ratio = ca / cna / (cb / cnb);
        var se = Math.Sqrt(1 / ca - 1 / cna + 1 / cb - 1 / cnb);
        return new Result(ratio, ratio * Math.Exp(-z * se), ratio * Math.Exp(z * se));
    }

    /// <summary>a − b of two means: the estimate ± z × √(varₐ/nₐ + var_b/n_b). Null when a side has no variance (below 2 runs).</summary>
    public static Result? MeanDifference(Arm a, Arm b, double z)
    {
        if (a.Variance is not { } va || b.Variance is not { } vb)
        {
            return null;
        }
        var d = a.Mean - b.Mean;
        var se = Math.Sqrt(va / a.Runs + vb / b.Runs);
        return new Result(d, d - z * se, d + z * se);
    }

    /// <summary>a ÷ b of two means by the delta method: se² = varₐ/(nₐ·b²) + a²·var_b/(n_b·b⁴). Null without variances or when b ≤ 0.</summary>
    public static Result? MeanRatio(Arm a, Arm b, double z)
    {
        if (a.Variance is not { } va || b.Variance is not { } vb || !(b.Mean > 0))
        {
            return null;
        }
        var ratio = a.Mean / b.Mean;
        var se = Math.Sqrt(va / (a.Runs * b.Mean * b.Mean) + a.Mean * a.Mean * vb / (b.Runs * Math.Pow(b.Mean, 4)));
        return new Result(ratio, ratio - z * se, ratio + z * se);
    }

    private static double Square(double v) => v * v;
}
