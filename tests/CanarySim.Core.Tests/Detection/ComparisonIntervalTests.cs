namespace CanarySim.Core.Tests.Detection;

public sealed class ComparisonIntervalTests
{
    private const double Z95TwoSided = 1.959963984540054;

    [Test]
    public void Newcombes_worked_example_56_of_70_minus_48_of_80_is_0_0524_to_0_3339()
    {
        // Newcombe (1998), Statistics in Medicine 17:873, example (a), method 10.
        var r = ComparisonInterval.Difference(56, 70, 48, 80, Z95TwoSided);
        Assert.Multiple(() =>
        {
            Assert.That(r.Estimate, Is.EqualTo(0.2).Within(1e-12));
            Assert.That(r.Lower, Is.EqualTo(0.0524).Within(5e-5));
            Assert.That(r.Upper, Is.EqualTo(0.3339).Within(5e-5));
        });
    }

    [Test]
    public void Wilson_is_defined_at_zero_and_all_events_and_never_leaves_0_to_1()
    {
        var none = ComparisonInterval.Wilson(0, 10, Z95TwoSided);
        var all = ComparisonInterval.Wilson(10, 10, Z95TwoSided);
        var one = ComparisonInterval.Wilson(1, 1, Z95TwoSided);
        Assert.Multiple(() =>
        {
            Assert.That(none.Lower, Is.EqualTo(0));
            Assert.That(none.Upper, Is.EqualTo(0.2775).Within(5e-5));
            Assert.That(all.Upper, Is.EqualTo(1));
            Assert.That(all.Lower, Is.EqualTo(0.7225).Within(5e-5));
            Assert.That(one.Lower, Is.GreaterThan(0).And.LessThan(1));
        });
        Assert.Throws<ArgumentOutOfRangeException>(() => ComparisonInterval.Wilson(0, 0, Z95TwoSided), "no runs: no interval, never a division by zero");
        Assert.Throws<ArgumentOutOfRangeException>(() => ComparisonInterval.Wilson(3, 2, Z95TwoSided));
    }

    [Test]
    public void Katz_log_interval_of_a_ratio_of_rates()
    {
        var r = ComparisonInterval.Ratio(10, 100, 5, 100, Z95TwoSided)!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(r.Estimate, Is.EqualTo(2.0).Within(1e-12));
            Assert.That(r.Lower, Is.EqualTo(0.70895).Within(5e-5));
            Assert.That(r.Upper, Is.EqualTo(5.64214).Within(5e-5));
        });
    }

    [Test]
    public void A_ratio_with_a_zero_count_adds_half_an_event_to_each_cell_and_no_event_on_either_side_has_no_ratio()
    {
        var v1Zero = ComparisonInterval.Ratio(1, 360, 0, 35000, Z95TwoSided)!.Value; // (1.5/361)/(0.5/35001)
        var v2Zero = ComparisonInterval.Ratio(0, 360, 30, 1000, Z95TwoSided)!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(v1Zero.Estimate, Is.EqualTo(1.5 / 361 / (0.5 / 35001)).Within(1e-9));
            Assert.That(double.IsFinite(v1Zero.Lower) && double.IsFinite(v1Zero.Upper), Is.True);
            Assert.That(v2Zero.Lower, Is.GreaterThan(0));
            Assert.That(v2Zero.Upper, Is.LessThan(1), "no v2 event in 360 runs against 3 % of v1's: the ratio is shown below 1");
            Assert.That(ComparisonInterval.Ratio(0, 10, 0, 10, Z95TwoSided), Is.Null);
        });
    }

    [Test]
    public void Means_use_welch_for_a_difference_and_the_delta_method_for_a_ratio()
    {
        var a = new ComparisonInterval.Arm(Runs: 100, NonZero: 100, Mean: 12, Variance: 16);
        var b = new ComparisonInterval.Arm(Runs: 400, NonZero: 400, Mean: 10, Variance: 4);
        var d = ComparisonInterval.MeanDifference(a, b, 2)!.Value;
        var r = ComparisonInterval.MeanRatio(a, b, 2)!.Value;
        var seRatio = Math.Sqrt(16.0 / (100 * 100) + 144.0 * 4 / (400 * 10000));
        Assert.Multiple(() =>
        {
            Assert.That(d.Estimate, Is.EqualTo(2));
            Assert.That(d.Lower, Is.EqualTo(2 - 2 * Math.Sqrt(0.16 + 0.01)).Within(1e-12));
            Assert.That(d.Upper, Is.EqualTo(2 + 2 * Math.Sqrt(0.16 + 0.01)).Within(1e-12));
            Assert.That(r.Estimate, Is.EqualTo(1.2).Within(1e-12));
            Assert.That(r.Lower, Is.EqualTo(1.2 - 2 * seRatio).Within(1e-12));
        });
    }

    [Test]
    public void Means_without_a_variance_or_a_ratio_over_a_non_positive_mean_have_no_interval()
    {
        var one = new ComparisonInterval.Arm(1, 1, 5, null);
        var some = new ComparisonInterval.Arm(10, 10, 5, 1);
        var zero = new ComparisonInterval.Arm(10, 0, 0, 0);
        Assert.Multiple(() =>
        {
            Assert.That(ComparisonInterval.MeanDifference(one, some, 2), Is.Null);
            Assert.That(ComparisonInterval.MeanRatio(some, zero, 2), Is.Null);
            Assert.That(ComparisonInterval.MeanRatio(zero, some, 2)!.Value.Estimate, Is.EqualTo(0));
        });
    }
}
