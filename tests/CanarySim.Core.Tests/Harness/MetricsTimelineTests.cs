using CanarySim.Harness.Scenarios;
using CanarySim.Harness.Fakes;

namespace CanarySim.Core.Tests.Harness;

public sealed class MetricsTimelineTests
{
    [TestCase(0.05, 100, 5)]
    [TestCase(0.08, 100, 8)]
    [TestCase(0.5, 10, 5)]
    [TestCase(0.0, 100, 0)]
    [TestCase(1.0, 7, 7)]
    public void Rates_are_exact_over_whole_runs(double rate, int runs, int expected) =>
        Assert.That(Enumerable.Range(0, runs).Count(i => SampleShape.Hits(rate, i)), Is.EqualTo(expected));

    [Test]
    public void Eleven_complaints_per_hour_are_exactly_eleven_in_any_whole_hour()
    {
        var time = new FakeTimeProvider(ScenarioWorld.DefaultStart);
        var store = FakeMetricsStore.Empty(time);
        var timeline = new MetricsTimeline(store, time);
        timeline.SetV2ComplaintsPerHour(11);
        timeline.Run(TimeSpan.FromHours(2), () => 0);
        var lastHour = store.Since(Engine.V2, time.GetUtcNow() - TimeSpan.FromHours(1));
        Assert.That(lastHour, Has.Count.EqualTo(6000));
        Assert.That(lastHour.Count(s => s.Complaint), Is.EqualTo(11));
    }

    [Test]
    public void Each_step_adds_runs_advances_the_clock_and_evaluates()
    {
        var time = new FakeTimeProvider(ScenarioWorld.DefaultStart);
        var start = time.GetUtcNow();
        var store = FakeMetricsStore.Empty(time);
        var timeline = new MetricsTimeline(store, time) { V2 = new SampleShape { Quality = 90, ErrorRate = 0.1 }, V2QualityLossPerStep = 1 };
        var seen = timeline.Run(TimeSpan.FromMinutes(3), () => (time.GetUtcNow() - start, store.Count(Engine.V2)));

        Assert.That(seen, Is.EqualTo(new[] { (TimeSpan.FromMinutes(1), 100), (TimeSpan.FromMinutes(2), 200), (TimeSpan.FromMinutes(3), 300) }));
        var v2 = store.LastRuns(Engine.V2, 300);
        Assert.That(v2.Take(100).All(s => s.Quality == 90), Is.True);
        Assert.That(v2.Skip(200).All(s => s.Quality == 88), Is.True);
        Assert.That(v2.Count(s => s.Error), Is.EqualTo(30));
        Assert.That(v2[^1].At, Is.EqualTo(time.GetUtcNow()));
        Assert.That(store.LastRuns(Engine.V1, 1000).All(s => s.Quality == 95 && !s.Error), Is.True);
    }

    [Test]
    public void Fill_spreads_samples_over_the_span_ending_at_its_end()
    {
        var time = new FakeTimeProvider(ScenarioWorld.DefaultStart);
        var store = FakeMetricsStore.Empty(time);
        var from = time.GetUtcNow();
        store.Fill(Engine.V1, 4, new SampleShape { LatencyMs = 1600 }, from, from.AddMinutes(1));
        var s = store.LastRuns(Engine.V1, 10);
        Assert.That(s.Select(x => x.At), Is.EqualTo(new[] { from.AddSeconds(15), from.AddSeconds(30), from.AddSeconds(45), from.AddSeconds(60) }));
        Assert.That(s.All(x => x.LatencyMs == 1600), Is.True);
    }
}
