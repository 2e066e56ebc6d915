namespace CanarySim.Core.Judging;

/// <summary>
/// Two-sided Mann-Whitney U (Wilcoxon rank-sum) test with the normal approximation, tie correction
/// of the variance and continuity correction — what R's <c>wilcox.test(x, y, exact = FALSE,
/// correct = TRUE)</c> computes — plus the Hodges–Lehmann shift estimate and its distribution-free
/// confidence interval from the order statistics of the pairwise differences.
/// </summary>
public static class MannWhitney
{
    /// <summary>Tests <paramref name="experiment"/> (x) against <paramref name="control"/> (y) at <paramref name="confidence"/>.</summary>
    public static MannWhitneyResult Test(IReadOnlyList<double> experiment, IReadOnlyList<double> control, double confidence = 0.98)
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
        var zq = Normal.Quantile(1 - (1 - confidence) / 2);
        var c = (int)Math.Floor(mean - zq * Math.Sqrt(nx * (double)ny * (n + 1) / 12.0));
        c = Math.Clamp(c, 1, m);
        var lower = diffs[c - 1];
        var upper = diffs[Math.Max(0, m - c)];
        return new MannWhitneyResult(u, z, p, estimate, lower, upper);
    }
}
