namespace CanarySim.Features.Runtime;

/// <summary>The catalog shows step patterns the way a QA reader writes the step.</summary>
public sealed class StepPatternTests
{
    [TestCase(@"^the router is in (shadow|canary) mode(?: at (?<pct>\d+(?:\.\d+)?)%|(?<pct>))$", new[] { "mode", "pct" }, "the router is in {shadow|canary} mode[ at <pct>%]")]
    [TestCase(@"^case ""([^""]+)"" as ""(ai\.reader|ai\.operator)"" was scored from its (failed|passed) first run$", new[] { "caseId", "role", "result" }, @"case ""<caseId>"" as ""{ai.reader|ai.operator}"" was scored from its {failed|passed} first run")]
    [TestCase(@"^the (v1|v2) conversation engine received (\d+) requests?$", new[] { "engine", "count" }, "the {v1|v2} conversation engine received <count> request[s]")]
    [TestCase(@"^the rollout (?:status )?is (promoted|held|rolled[ _]back)$", new[] { "state" }, "the rollout [status ]is {promoted|held|rolled back}")]
    [TestCase(@"^the rollout is held because (.+)$", new[] { "text" }, "the rollout is held because <text>")]
    [TestCase(@"^v2 answers in (\d+)ms at p95$", new[] { "ms" }, "v2 answers in <ms>ms at p95")]
    public void Patterns_read_as_steps(string pattern, string[] parameters, string expected) =>
        Assert.That(StepPattern.Readable(pattern, parameters), Is.EqualTo(expected));
}
