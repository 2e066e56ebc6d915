namespace CanarySim.Core.Tests.Detection;

/// <summary>
/// The store's incremental windows (cached aggregates, time-window searches resumed where the last read ended, the
/// linear window lookup) against a reference that recomputes every window from a plain sorted list, over random
/// arrivals: bursts, quiet evaluations that change nothing, late samples, long gaps, reads that skip windows.
/// </summary>
public sealed class StoreWindowEquivalenceTests
{
    private static readonly WindowSpec[] Windows =
    [
        WindowSpec.LastRuns(1), WindowSpec.LastRuns(20), WindowSpec.LastRuns(100),
        WindowSpec.LastDuration(TimeSpan.FromSeconds(45)), WindowSpec.LastDuration(TimeSpan.FromMinutes(5)), WindowSpec.LastDuration(TimeSpan.FromHours(1)),
    ];

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void Every_window_read_equals_recomputing_it_from_the_samples(int seed)
    {
        var random = new Random(seed);
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        var reference = new[] { new List<Sample>(), new List<Sample>() };
        var selector = new MetricSelector("m", [new("agent", "A")], ordered: true);
        for (var step = 0; step < 600; step++)
        {
            var burst = random.Next(10) switch { 0 => 40, < 4 => 0, _ => random.Next(1, 5) };
            for (var k = 0; k < burst; k++)
            {
                var engine = random.Next(5) == 0 ? Engine.V2 : Engine.V1;
                var late = random.Next(25) == 0;
                var at = clock.GetUtcNow() - (late ? TimeSpan.FromSeconds(random.Next(1, 400)) : TimeSpan.Zero);
                var sample = Samples.Healthy(engine, at, latency: random.Next(0, 3000), quality: random.Next(60, 100)) with
                {
                    CostCents = random.Next(0, 400) / 100.0,
                    Error = random.Next(20) == 0,
                    Fallback = random.Next(15) == 0,
                    Complaint = random.Next(50) == 0,
                    Agent = random.Next(2) == 0 ? "A" : "B",
                    Metrics = new Dictionary<string, double> { ["m"] = random.Next(0, 9) },
                };
                store.Add(sample);
                var list = reference[(int)engine];
                var index = list.FindIndex(s => s.At > at); // after every sample at or before it, as the store places it
                list.Insert(index < 0 ? list.Count : index, sample);
            }
            clock.Advance(TimeSpan.FromSeconds(random.Next(10) == 0 ? random.Next(600, 5000) : random.Next(0, 30)));
            var now = clock.GetUtcNow();
            foreach (var engine in new[] { Engine.V1, Engine.V2 })
            {
                foreach (var window in Windows.Where(_ => random.Next(4) != 0))
                {
                    var samples = InWindow(reference[(int)engine], window, now);
                    var label = $"seed {seed}, step {step}, {engine}, {window}";
                    var expected = WindowAggregates.Compute(samples);
                    Assert.That(store.Aggregate(engine, window, now), Is.EqualTo(expected), label);
                    Assert.That(store.Counts(engine, window, now), Is.EqualTo(WindowAggregates.FromCounts(expected.Count, expected.Errors, expected.Fallbacks, expected.PolicyViolations, expected.Complaints)), label);
                    Assert.That(store.Metric(engine, window, selector, now), Is.EqualTo(MetricAggregates.Compute(samples, selector)), label);
                }
            }
        }
    }

    private static List<Sample> InWindow(List<Sample> sorted, WindowSpec window, DateTimeOffset now) =>
        window.Kind == WindowKind.Count
            ? sorted.Skip(Math.Max(0, sorted.Count - window.Runs)).ToList()
            : sorted.Where(s => s.At > now - window.Duration && s.At <= now).ToList();
}
