namespace CanarySim.Core.Judging;

/// <summary>
/// Two-sided Mann-Whitney U (Wilcoxon rank-sum) test as R's <c>wilcox.test(x, y, conf.int = TRUE)</c>
/// computes it, and as Kayenta's judge uses it: with fewer than 50 values on each side and no ties, the
/// exact distribution of U gives the p-value and the confidence interval; otherwise the normal
/// approximation with tie correction of the variance and continuity correction does. The shift estimate
/// is Hodges–Lehmann (median of the pairwise differences), its distribution-free confidence interval
/// taken from their order statistics.
/// </summary>
public static class MannWhitney
{
    /// <summary>Below this many values on each side, a sample without ties is tested exactly (R's rule).</summary>
    public const int ExactBelow = 50;

    /// <summary>
    /// Tests <paramref name="experiment"/> (x) against <paramref name="control"/> (y) at <paramref name="confidence"/>.
    /// <paramref name="exact"/>: null decides as R does (exact for fewer than 50 values a side and no ties),
    /// true asks for the exact distribution (refused with ties), false forces the normal approximation.
    /// </summary>
    public static MannWhitneyResult Test(IReadOnlyList<double> experiment, IReadOnlyList<double> control, double confidence = 0.98, bool? exact = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(control);
        if (experiment.Count == 0 || control.Count == 0)
        {
            throw new ArgumentException("Both samples need at least one value.");
        }
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must be in (0, 1).");
        }
        int nx = experiment.Count, ny = control.Count, n = nx + ny;
        var all = new (double Value, bool IsX)[n];
        for (var i = 0; i < nx; i++)
        {
            all[i] = (experiment[i], true);
        }
        for (var j = 0; j < ny; j++)
        {
            all[nx + j] = (control[j], false);
        }
        Array.Sort(all, (a, b) => a.Value.CompareTo(b.Value));

        // Mid-ranks for ties; accumulate the tie term sum(t^3 - t).
        double rankSumX = 0, tieTerm = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && all[j + 1].Value == all[i].Value)
            {
                j++;
            }
            var midRank = (i + j + 2) / 2.0;
            double t = j - i + 1;
            tieTerm += t * t * t - t;
            for (var k = i; k <= j; k++)
            {
                if (all[k].IsX)
                {
                    rankSumX += midRank;
                }
            }
            i = j + 1;
        }
        var u = rankSumX - nx * (nx + 1) / 2.0;
        var mean = nx * (double)ny / 2.0;
        var variance = nx * (double)ny / 12.0 * (n + 1 - tieTerm / (n * (double)(n - 1)));
        double z, p;
        if (variance <= 0)
        {
            z = 0; // every value equal: no evidence of a shift
            p = 1;
        }
        else
        {
            var diff = u - mean;
            var correction = 0.5 * Math.Sign(diff);
            z = (diff - correction) / Math.Sqrt(variance);
            p = Math.Min(1, 2 * Normal.UpperTail(Math.Abs(z)));
        }

        var ties = tieTerm > 0;
        if (exact == true && ties)
        {
            throw new ArgumentException("The exact test needs samples without ties; use the normal approximation (exact: false or null).", nameof(exact));
        }
        var useExact = exact ?? (nx < ExactBelow && ny < ExactBelow && !ties);
        double[]? cdf = null;
        if (useExact)
        {
            // R: p <- if (W > nx*ny/2) P(U >= W) else P(U <= W); min(2p, 1).
            cdf = ExactCdf(nx, ny);
            var w = (int)Math.Round(u);
            p = Math.Min(1, 2 * (u > mean ? 1 - (w >= 1 ? cdf[w - 1] : 0) : cdf[w]));
        }

        // Hodges–Lehmann: median of the nx*ny differences x_i - y_j; CI from their order statistics.
        var diffs = new double[(long)nx * ny];
        var d = 0;
        for (var i = 0; i < nx; i++)
        {
            for (var j = 0; j < ny; j++)
            {
                diffs[d++] = experiment[i] - control[j];
            }
        }
        Array.Sort(diffs);
        var m = diffs.Length;
        var estimate = m % 2 == 1 ? diffs[m / 2] : (diffs[m / 2 - 1] + diffs[m / 2]) / 2;
        int c;
        if (cdf is not null)
        {
            // R: qu <- qwilcox(alpha/2, nx, ny); if (qu == 0) qu <- 1; CI = (diffs[qu], diffs[nx*ny - qu + 1]).
            var alpha = 1 - confidence;
            c = 0;
            while (c < cdf.Length - 1 && cdf[c] < alpha / 2)
            {
                c++;
            }
            c = Math.Max(c, 1);
        }
        else
        {
            var zq = Normal.Quantile(1 - (1 - confidence) / 2);
            c = (int)Math.Floor(mean - zq * Math.Sqrt(nx * (double)ny * (n + 1) / 12.0));
        }
        c = Math.Clamp(c, 1, m);
        var lower = diffs[c - 1];
        var upper = diffs[Math.Max(0, m - c)];
        return new MannWhitneyResult(u, z, p, estimate, lower, upper);
    }

    /// <summary>
    /// P(U ≤ k) for k = 0..nx·ny under the null hypothesis: the coefficients of the Gaussian binomial
    /// [nx+ny choose nx] in q count the arrangements with U = k; they are built as the product of
    /// (1 − q^(ny+i)) / (1 − q^i) for i = 1..nx (each partial product is itself a polynomial).
    /// </summary>
    internal static double[] ExactCdf(int nx, int ny)
    {
        var max = nx * ny;
        var coef = new double[max + nx + 1]; // room for the numerator's degree before each division
        coef[0] = 1;
        var degree = 0;
        for (var i = 1; i <= nx; i++)
        {
            var shift = ny + i;
            var top = degree + shift;
            for (var k = top; k >= shift; k--)
            {
                coef[k] -= coef[k - shift];
            }
            for (var k = i; k <= top; k++)
            {
                coef[k] += coef[k - i];
            }
            degree = ny * i;
        }
        double total = 0;
        for (var k = 0; k <= max; k++)
        {
            total += coef[k];
        }
        var cdf = new double[max + 1];
        double running = 0;
        for (var k = 0; k <= max; k++)
        {
            running += coef[k];
            cdf[k] = Math.Min(1, running / total);
        }
        return cdf;
    }
}
