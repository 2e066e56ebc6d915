namespace CanarySim.Service.Tests.Hosting;

[TestFixture]
public sealed class BackgroundEvaluationTests
{
    [Test]
    public async Task A_regression_is_rolled_back_on_the_next_tick_without_anyone_calling_evaluate()
    {
        // Evaluation on ingest off: this test is about the interval alone.
        using var host = new GuardHost(s => s["Guard:EvaluateOnIngest"] = "false");
        await host.PutConfigAsync("""{"canary_pct": 10, "reason": "ramp"}""");
        await host.PostSamplesAsync(GuardHost.Samples(40, v2LatencyMs: 1850));
        var evaluated = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Runtime.Evaluated += e => evaluated.TrySetResult(e);
        Assert.That(host.Clock.TimerCount, Is.GreaterThanOrEqualTo(1), "the background evaluator's timer should exist once the host has started");

        host.Clock.Advance(TimeSpan.FromSeconds(14));
        Assert.That(host.Runtime.EvaluationCount, Is.EqualTo(0), "nothing is due before the 15 s interval");
        host.Clock.Advance(TimeSpan.FromSeconds(1));

        var result = await evaluated.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(host.Runtime.EvaluationCount, Is.EqualTo(1));
            Assert.That(result["trigger"]!.GetValue<string>(), Is.EqualTo("background"));
            Assert.That(result["verdict"]!.GetValue<string>(), Is.EqualTo("fail"));
            Assert.That(host.Runtime.Live.Current.KillSwitch, Is.True);
            Assert.That(host.Runtime.Live.Current.CanaryPct, Is.EqualTo(0));
        });
        var status = await host.StatusAsync();
        var rollback = status["timeline"]!.AsArray()[0]!;
        Assert.That(rollback["kind"]!.GetValue<string>(), Is.EqualTo("rollback"));
        Assert.That(rollback["actor"]!.GetValue<string>(), Is.EqualTo("auto"));
        Assert.That(rollback["reason"]!.GetValue<string>(), Does.Contain("latency (V2 p95: 1854ms > 1600ms)"));
        Assert.That(rollback["at"]!.GetValue<DateTimeOffset>(), Is.EqualTo(GuardHost.Start.AddSeconds(15)));
    }

    [Test]
    public async Task The_interval_is_configurable_and_can_be_switched_off()
    {
        using (var fast = new GuardHost(s => s["Guard:EvaluationInterval"] = "00:00:02"))
        {
            var evaluated = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
            fast.Runtime.Evaluated += e => evaluated.TrySetResult(e);
            fast.Clock.Advance(TimeSpan.FromSeconds(2));
            var result = await evaluated.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(result["verdict"]!.GetValue<string>(), Is.EqualTo("insufficient_data"));
        }

        using var off = new GuardHost(s => s["Guard:BackgroundEvaluation"] = "false");
        off.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.That(off.Runtime.EvaluationCount, Is.EqualTo(0));
        Assert.That((await off.StatusAsync())["service"]!["background_evaluation"]!.GetValue<bool>(), Is.False);
    }
}
