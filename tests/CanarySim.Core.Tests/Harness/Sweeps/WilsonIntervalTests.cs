using CanarySim.Harness.Sweeps;

namespace CanarySim.Core.Tests.Harness.Sweeps;

public sealed class WilsonIntervalTests
{
    // Published 95 % Wilson score intervals (no continuity correction): R. G. Newcombe, "Two-sided confidence intervals
    // for the single proportion: comparison of seven methods", Statistics in Medicine 17 (1998) 857–872, Table II,
    // method 3, for the paper's four worked examples (given there to four decimals).
    [TestCase(81, 263, 0.2553, 0.3662)]
    [TestCase(15, 148, 0.0624, 0.1605)]
    [TestCase(0, 20, 0.0000, 0.1611)]
    [TestCase(1, 29, 0.0061, 0.1718)]
    public void Matches_Newcombe_1998_table_II(int k, int n, double lower, double upper)
    {
        var w = WilsonInterval.Of(k, n);
        Assert.Multiple(() =>
        {
            Assert.That(w.Lower, Is.EqualTo(lower).Within(0.00005), "lower bound to Newcombe's four decimals");
            Assert.That(w.Upper, Is.EqualTo(upper).Within(0.00005), "upper bound to Newcombe's four decimals");
        });
    }

    [Test]
    public void Is_symmetric_between_successes_and_failures()
    {
        var a = WilsonInterval.Of(3, 40);
        var b = WilsonInterval.Of(37, 40);
        Assert.Multiple(() =>
        {
            Assert.That(b.Lower, Is.EqualTo(1 - a.Upper).Within(1e-12));
            Assert.That(b.Upper, Is.EqualTo(1 - a.Lower).Within(1e-12));
        });
    }

    [Test]
    public void All_successes_reach_one_and_none_reach_zero()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WilsonInterval.Of(50, 50).Upper, Is.EqualTo(1));
            Assert.That(WilsonInterval.Of(50, 50).Lower, Is.LessThan(1).And.GreaterThan(0.9));
            Assert.That(WilsonInterval.Of(0, 50).Lower, Is.Zero);
            Assert.That(WilsonInterval.Of(0, 0), Is.EqualTo(new WilsonInterval(0, 0, 0, 1)), "no runs: nothing is known");
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public bool Contains_the_observed_share_and_stays_in_the_unit_interval(byte kRaw, byte extra)
    {
        var n = kRaw + extra + 1;
        var w = WilsonInterval.Of(kRaw, n);
        return w.Lower >= 0 && w.Upper <= 1 && w.Lower <= w.Rate && w.Rate <= w.Upper && w.Upper - w.Lower > 0;
    }

    [Test]
    public void Narrows_as_runs_grow()
    {
        var widths = new[] { 20, 200, 2000 }.Select(n => WilsonInterval.Of(n / 10, n)).Select(w => w.Upper - w.Lower).ToList();
        Assert.That(widths, Is.Ordered.Descending);
    }
}
