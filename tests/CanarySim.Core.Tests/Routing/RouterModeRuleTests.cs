namespace CanarySim.Core.Tests.Routing;

public sealed class RouterModeRuleTests
{
    [TestCase(RouterMode.Primary, null, 5.0, RouterMode.Canary, TestName = "a percentage above 0 moves primary to canary")]
    [TestCase(RouterMode.Shadow, null, 0.01, RouterMode.Canary, TestName = "a percentage above 0 moves shadow to canary")]
    [TestCase(RouterMode.Candidate, null, 50.0, RouterMode.Canary, TestName = "a percentage above 0 moves candidate to canary")]
    [TestCase(RouterMode.Primary, null, 0.0, RouterMode.Primary, TestName = "a percentage of 0 keeps primary")]
    [TestCase(RouterMode.Canary, null, 0.0, RouterMode.Canary, TestName = "a percentage of 0 keeps canary")]
    [TestCase(RouterMode.Shadow, null, null, RouterMode.Shadow, TestName = "no percentage keeps the mode")]
    [TestCase(RouterMode.Primary, RouterMode.Shadow, 50.0, RouterMode.Shadow, TestName = "an explicit mode wins over a percentage")]
    [TestCase(RouterMode.Canary, RouterMode.Primary, null, RouterMode.Primary, TestName = "an explicit mode wins without a percentage")]
    public void A_percentage_implies_canary_only_when_above_0_and_no_mode_is_given(RouterMode current, RouterMode? requested, double? percentage, RouterMode expected)
    {
        Assert.That(RouterModeRule.Resolve(current, requested, percentage), Is.EqualTo(expected));
    }
}
