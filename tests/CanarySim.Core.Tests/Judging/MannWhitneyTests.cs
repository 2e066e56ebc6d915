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
        var r = MannWhitney.Test([1, 2, 3], [4, 5, 6]);
        Assert.That(r.U, Is.EqualTo(0));
        Assert.That(r.PValue, Is.EqualTo(0.08086).Within(5e-6));
        Assert.That(r.Estimate, Is.EqualTo(-3), "Hodges–Lehmann: median of the 9 pairwise differences");
        Assert.That(r.CiLower, Is.LessThanOrEqualTo(r.Estimate));
        Assert.That(r.CiUpper, Is.GreaterThanOrEqualTo(r.Estimate));
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
