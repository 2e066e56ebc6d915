namespace CanarySim.Core.Tests.Detection;

public sealed class MetricWindowTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void The_streaming_metric_window_equals_the_sorting_reference_as_samples_arrive_and_leave(int seed)
    {
        var random = new Random(seed);
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        IWindowedMetricsStore windowed = store;
        var selectors = new[]
        {
            new MetricSelector("m", [], ordered: true),
            new MetricSelector("m", [new("agent", "A")], ordered: true),
            new MetricSelector("latency_ms", [new("agent", "B")], ordered: false),
        };
        var windows = new[] { WindowSpec.LastRuns(7), WindowSpec.LastRuns(300), WindowSpec.LastDuration(TimeSpan.FromMinutes(3)) };
        for (var step = 0; step < 300; step++)
        {
            for (var k = random.Next(0, 6); k > 0; k--)
            {
                store.Add(Samples.Healthy(Engine.V2, clock.GetUtcNow(), latency: random.Next(0, 50)) with
                {
                    Agent = random.Next(3) switch { 0 => "A", 1 => "B", _ => null },
                    Metrics = random.Next(4) == 0 ? null : new Dictionary<string, double> { ["m"] = random.Next(-3, 4) },
                });
            }
            clock.Advance(TimeSpan.FromSeconds(random.Next(0, 40)));
            foreach (var window in windows)
            {
                foreach (var selector in selectors)
                {
                    var now = clock.GetUtcNow();
                    var expected = MetricAggregates.Compute(
                        window.Kind == WindowKind.Count ? store.LastRuns(Engine.V2, window.Runs) : store.Since(Engine.V2, now - window.Duration),
                        selector);
                    Assert.That(windowed.Metric(Engine.V2, window, selector, now), Is.EqualTo(expected), $"step {step}, {window}, {selector}");
                }
            }
        }
    }
}
