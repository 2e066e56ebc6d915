namespace CanarySim.Core.Tests.Rollout;

public sealed class RunSamplesTests
{
    private static readonly DateTimeOffset At = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_fallback_gives_a_v2_fallback_sample_and_the_v1_sample_that_served()
    {
        var samples = RunSamples.FromRun(RolloutTestRig.Run(Engine.V1, fallback: true, latencyMs: 900, servedMs: 150), At);
        Assert.That(samples.Select(s => (s.Engine, s.Fallback, s.LatencyMs)), Is.EqualTo(new[] { (Engine.V2, true, 750.0), (Engine.V1, false, 150.0) }));
    }

    [Test]
    public void A_failed_shadow_is_a_v2_error_sample_beside_the_served_v1_sample()
    {
        var samples = RunSamples.FromRun(RolloutTestRig.Run(Engine.V1, shadow: true, shadowOutcome: "timeout", shadowMs: 1600), At);
        Assert.That(samples.Select(s => (s.Engine, s.Error, s.Fallback)), Is.EqualTo(new[] { (Engine.V1, false, false), (Engine.V2, true, false) }));
    }

    [Test]
    public void A_plain_run_is_one_sample_of_the_serving_engine() =>
        Assert.That(RunSamples.FromRun(RolloutTestRig.Run(Engine.V2), At).Select(s => s.Engine), Is.EqualTo(new[] { Engine.V2 }));
}
