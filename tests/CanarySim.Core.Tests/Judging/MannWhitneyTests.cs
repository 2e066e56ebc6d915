using CanarySim.Core.Judging;

namespace CanarySim.Core.Tests.Judging;

public sealed class MannWhitneyTests
{
    [Test]
    public void Matches_the_clickhouse_reference_output_with_ties()
    {
        // ClickHouse tests/queries/0_stateless/01560_mann_whitney.sql (normal approximation, two-sided,
        // continuity correction on; the data has ties: 530, 180, 111, 261 twice) expects U = 223 and
        // p = 0.5426959774289482.
        double[] group0 = [310, 195, 530, 155, 530, 245, 385, 450, 465, 545, 170, 180, 125, 180, 230, 75, 430, 480, 495, 295];
        double[] group1 = [116, 171, 176, 421, 111, 326, 481, 111, 346, 441, 261, 411, 206, 521, 456, 446, 296, 51, 426, 261];
        var r = MannWhitney.Test(group1, group0);
        Assert.That(new[] { r.U, group0.Length * group1.Length - r.U }, Does.Contain(223.0));
        Assert.That(r.PValue, Is.EqualTo(0.5426959774289482).Within(1e-12));
        Assert.That(MannWhitney.Test(group0, group1).PValue, Is.EqualTo(r.PValue).Within(1e-15), "two-sided: symmetric");
    }

    [Test]
    public void Matches_r_wilcox_test_without_ties()
    {
        // R: wilcox.test(c(1, 2, 3), c(4, 5, 6), exact = FALSE) -> W = 0, p-value = 0.08086
        var r = MannWhitney.Test([1, 2, 3], [4, 5, 6], exact: false);
        Assert.That(r.U, Is.EqualTo(0));
        Assert.That(r.PValue, Is.EqualTo(0.08086).Within(5e-6));
        Assert.That(r.Estimate, Is.EqualTo(-3), "Hodges–Lehmann: median of the 9 pairwise differences");
        Assert.That(r.CiLower, Is.LessThanOrEqualTo(r.Estimate));
        Assert.That(r.CiUpper, Is.GreaterThanOrEqualTo(r.Estimate));
    }

    [Test]
    public void Small_samples_without_ties_are_tested_exactly_as_kayenta_and_r_do()
    {
        // Kayenta's MannWhitneySuite ("returns expected values"): control 1..4, experiment 10..40, 95 %:
        // confidence interval [6, 39], estimate 22.5, p-value 0.02857142857142857 (= 2/70, exact).
        var r = MannWhitney.Test([10.0, 20, 30, 40], [1.0, 2, 3, 4], confidence: 0.95);
        Assert.Multiple(() =>
        {
            Assert.That(r.PValue, Is.EqualTo(0.02857142857142857).Within(1e-12));
            Assert.That((r.CiLower, r.CiUpper), Is.EqualTo((6.0, 39.0)));
            Assert.That(r.Estimate, Is.EqualTo(22.5));
        });
        // R: wilcox.test(c(1, 2, 3), c(4, 5, 6)) (exact by default) -> W = 0, p-value = 0.1 (= 2/20)
        Assert.That(MannWhitney.Test([1.0, 2, 3], [4.0, 5, 6]).PValue, Is.EqualTo(0.1).Within(1e-12));
    }

    [Test]
    public void The_exact_distribution_sums_to_one_and_is_symmetric()
    {
        foreach (var (nx, ny) in new[] { (1, 1), (3, 5), (7, 7), (12, 30), (49, 49) })
        {
            var cdf = MannWhitney.ExactCdf(nx, ny);
            Assert.That(cdf[^1], Is.EqualTo(1.0).Within(1e-12), $"{nx}x{ny}");
            var max = nx * ny;
            for (var k = 0; k < max; k++)
            {
                // P(U <= k) = P(U >= max - k) = 1 - P(U <= max - k - 1)
                Assert.That(cdf[k], Is.EqualTo(1 - cdf[max - k - 1]).Within(1e-9), $"{nx}x{ny} symmetric at {k}");
            }
        }
        Assert.That(MannWhitney.ExactCdf(4, 4)[0], Is.EqualTo(1.0 / 70).Within(1e-15), "one arrangement of 70 has U = 0");
    }

    [Test]
    public void Ties_or_large_samples_use_the_normal_approximation_and_exact_with_ties_is_refused()
    {
        double[] tied = [1, 2, 2, 3];
        Assert.Throws<ArgumentException>(() => MannWhitney.Test(tied, [2.0, 4, 5], exact: true));
        Assert.That(MannWhitney.Test(tied, [2.0, 4, 5]).PValue, Is.EqualTo(MannWhitney.Test(tied, [2.0, 4, 5], exact: false).PValue));
        var big = Enumerable.Range(0, 60).Select(i => (double)i).ToArray();
        var shifted = big.Select(v => v + 0.5).ToArray();
        Assert.That(MannWhitney.Test(shifted, big).PValue, Is.EqualTo(MannWhitney.Test(shifted, big, exact: false).PValue));
    }

    [Test]
    public void Identical_samples_give_p_one_and_no_shift()
    {
        double[] x = [5, 7, 7, 9, 12];
        var r = MannWhitney.Test(x, x);
        Assert.That((r.U, r.Z, r.PValue, r.Estimate), Is.EqualTo((12.5, 0.0, 1.0, 0.0)));
        var constant = MannWhitney.Test([3, 3, 3], [3, 3]);
        Assert.That(constant.PValue, Is.EqualTo(1.0), "all values tied: zero variance is no evidence");
    }

    [Test]
    public void Normal_distribution_helpers_are_accurate()
    {
        Assert.That(Normal.Quantile(0.975), Is.EqualTo(1.959963984540054).Within(1e-12));
        Assert.That(Normal.Quantile(0.99), Is.EqualTo(2.326347874040841).Within(1e-12));
        Assert.That(Normal.Quantile(0.001), Is.EqualTo(-3.090232306167814).Within(1e-11));
        Assert.That(Normal.UpperTail(1.96), Is.EqualTo(0.024997895148220435).Within(1e-15));
        Assert.That(Normal.UpperTail(5), Is.EqualTo(2.866515718791939e-07).Within(1e-19));
    }
}
