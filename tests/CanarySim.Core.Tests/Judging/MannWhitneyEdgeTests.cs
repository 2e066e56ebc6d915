using CanarySim.Core.Judging;

namespace CanarySim.Core.Tests.Judging;

/// <summary>
/// Where the test switches method, its confidence intervals beyond the smallest samples, and its argument rules.
/// Expected values come from a separate exact-distribution count written in Python (recursion over the largest
/// value: P(U = u) for nx, ny), not from the code under test; the 10 x 10 critical value 24 is R's qwilcox(0.025, 10, 10).
/// </summary>
public sealed class MannWhitneyEdgeTests
{
    private static readonly double[] X10 = new[] { 1.1, 2.3, 3.7, 4.2, 5.9, 6.4, 7.8, 8.5, 9.6, 10.05 }.Select(v => v + 3).ToArray();
    private static readonly double[] Y10 = [0.5, 1.7, 2.9, 3.15, 4.8, 5.2, 6.6, 7.3, 8.8, 9.1];

    [Test]
    public void Ten_against_ten_without_ties_is_exact_with_the_interval_at_the_24th_pairwise_difference()
    {
        var r = MannWhitney.Test(X10, Y10, confidence: 0.95);

        Assert.Multiple(() =>
        {
            Assert.That(r.U, Is.EqualTo(83));
            Assert.That(r.PValue, Is.EqualTo(0.011496243694385955).Within(1e-12));
            Assert.That(r.CiLower, Is.EqualTo(0.6).Within(1e-9));
            Assert.That(r.CiUpper, Is.EqualTo(7.2).Within(1e-9));
            Assert.That(r.Estimate, Is.EqualTo(4.0).Within(1e-9));
        });
    }

    [Test]
    public void Sixty_against_sixty_uses_the_normal_interval_at_rank_1356()
    {
        // c = floor(nx*ny/2 - z(0.99) * sqrt(nx*ny*(n+1)/12)) = floor(1800 - 2.3263 * 190.53) = 1356
        var y = Enumerable.Range(0, 60).Select(i => (double)i).ToArray();
        var x = y.Select(v => v + 0.5).ToArray();

        var r = MannWhitney.Test(y, x, confidence: 0.98);

        Assert.That((r.CiLower, r.CiUpper, r.Estimate), Is.EqualTo((-8.5, 7.5, -0.5)));
    }

    [Test]
    public void An_odd_number_of_differences_takes_the_middle_one_as_the_shift()
    {
        // differences 10-1, 10-2, 10-4 = 9, 8, 6: the median is 8 (not the mean of two neighbours)
        Assert.That(MannWhitney.Test([10.0], [1.0, 2, 4]).Estimate, Is.EqualTo(8));
    }

    [Test]
    public void Fifty_values_on_either_side_are_no_longer_tested_exactly()
    {
        var fifty = Enumerable.Range(0, 50).Select(i => i + 0.25).ToArray();
        var few = new[] { 3.5, 17.5, 40.5 };
        var fortyNine = fifty.Take(49).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(MannWhitney.Test(fifty, few).PValue, Is.EqualTo(MannWhitney.Test(fifty, few, exact: false).PValue), "50 x 3");
            Assert.That(MannWhitney.Test(few, fifty).PValue, Is.EqualTo(MannWhitney.Test(few, fifty, exact: false).PValue), "3 x 50");
            Assert.That(MannWhitney.Test(fortyNine, few).PValue, Is.EqualTo(MannWhitney.Test(fortyNine, few, exact: true).PValue), "49 x 3 is exact");
            Assert.That(MannWhitney.Test(fortyNine, few, exact: true).PValue, Is.Not.EqualTo(MannWhitney.Test(fortyNine, few, exact: false).PValue), "the two methods differ here");
        });
    }

    [Test]
    public void Empty_or_missing_samples_and_a_confidence_outside_0_to_1_are_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => MannWhitney.Test(null!, [1.0]), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("experiment"));
            Assert.That(() => MannWhitney.Test([1.0], null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("control"));
            Assert.That(() => MannWhitney.Test([], [1.0]), Throws.ArgumentException.With.Message.EqualTo("Both samples need at least one value."));
            Assert.That(() => MannWhitney.Test([1.0], []), Throws.ArgumentException.With.Message.EqualTo("Both samples need at least one value."));
            foreach (var confidence in new[] { 0.0, 1.0, -0.5, 1.5, double.NaN })
            {
                Assert.That(() => MannWhitney.Test([1.0, 2], [3.0, 4], confidence), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("confidence"), $"confidence {confidence}");
            }
            Assert.That(() => MannWhitney.Test([1.0, 2, 2], [3.0], exact: true), Throws.ArgumentException.With.Message.StartWith("The exact test needs samples without ties"));
        });
    }

    [Test]
    public void The_normal_quantile_is_refused_outside_0_to_1_and_accurate_in_both_tails()
    {
        Assert.Multiple(() =>
        {
            foreach (var p in new[] { 0.0, 1.0, -0.1, 1.1, double.NaN })
            {
                Assert.That(() => Normal.Quantile(p), Throws.TypeOf<ArgumentOutOfRangeException>(), $"p {p}");
            }
            Assert.That(Normal.Quantile(1e-6), Is.EqualTo(-4.753424308822899).Within(1e-10));
            Assert.That(Normal.Quantile(0.999999), Is.EqualTo(4.753424308822899).Within(1e-9));
            Assert.That(Normal.Quantile(0.5), Is.EqualTo(0).Within(1e-15));
            Assert.That(Normal.Erfc(-1), Is.EqualTo(1.8427007929497148).Within(1e-14));
            Assert.That(Normal.Erfc(3.5), Is.EqualTo(7.430983723414128e-07).Within(1e-20));
        });
    }
}
