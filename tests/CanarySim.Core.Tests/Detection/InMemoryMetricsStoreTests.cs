namespace CanarySim.Core.Tests.Detection;

public sealed class InMemoryMetricsStoreTests
{
    [Test]
    public void Last_runs_and_since_return_samples_oldest_first_per_engine()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        for (var i = 0; i < 10; i++)
        {
            store.Add(Samples.Healthy(Engine.V2, TestClock.Epoch.AddSeconds(i), latency: i));
            store.Add(Samples.Healthy(Engine.V1, TestClock.Epoch.AddSeconds(i), latency: 100 + i));
        }
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.That(store.LastRuns(Engine.V2, 3).Select(s => s.LatencyMs), Is.EqualTo(new double[] { 7, 8, 9 }));
        Assert.That(store.LastRuns(Engine.V1, 50), Has.Count.EqualTo(10));
        Assert.That(store.Since(Engine.V2, TestClock.Epoch.AddSeconds(6)).Select(s => s.LatencyMs), Is.EqualTo(new double[] { 7, 8, 9 }));
        Assert.That(store.Count(Engine.V1), Is.EqualTo(10));
    }

    [Test]
    public void A_late_sample_is_placed_in_time_order_and_windows_stay_exact()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        store.Add(Samples.Healthy(Engine.V2, TestClock.Epoch.AddSeconds(1), latency: 1));
        store.Add(Samples.Healthy(Engine.V2, TestClock.Epoch.AddSeconds(3), latency: 3));
        Assert.That(store.Aggregate(Engine.V2, WindowSpec.LastRuns(2), clock.GetUtcNow()).P50LatencyMs, Is.EqualTo(1));
        store.Add(Samples.Healthy(Engine.V2, TestClock.Epoch.AddSeconds(2), latency: 2));
        Assert.That(store.LastRuns(Engine.V2, 3).Select(s => s.LatencyMs), Is.EqualTo(new double[] { 1, 2, 3 }));
        var agg = store.Aggregate(Engine.V2, WindowSpec.LastRuns(2), clock.GetUtcNow());
        Assert.That(agg, Is.EqualTo(WindowAggregates.Compute(store.LastRuns(Engine.V2, 2))));
    }

    [Test]
    public void Windows_are_maintained_as_samples_arrive()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock);
        var spec = WindowSpec.LastRuns(50);
        var rng = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            store.Add(Samples.Healthy(Engine.V2, clock.GetUtcNow(), latency: rng.Next(0, 3000), quality: rng.Next(0, 100)));
            if (i % 37 == 0)
            {
                Assert.That(store.Aggregate(Engine.V2, spec, clock.GetUtcNow()), Is.EqualTo(WindowAggregates.Compute(store.LastRuns(Engine.V2, 50))));
            }
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        var time = WindowSpec.LastDuration(TimeSpan.FromMinutes(2));
        Assert.That(store.Aggregate(Engine.V2, time, clock.GetUtcNow()),
            Is.EqualTo(WindowAggregates.Compute(store.Since(Engine.V2, clock.GetUtcNow() - TimeSpan.FromMinutes(2)))));
    }

    [Test]
    public void Retention_drops_the_oldest_samples()
    {
        var store = new InMemoryMetricsStore(new FakeTimeProvider(TestClock.Epoch), retainPerEngine: 5);
        store.AddRange(Enumerable.Range(0, 8).Select(i => Samples.Healthy(Engine.V1, TestClock.Epoch, latency: i)));
        Assert.That(store.LastRuns(Engine.V1, 100).Select(s => s.LatencyMs), Is.EqualTo(new double[] { 3, 4, 5, 6, 7 }));
    }

    [Test]
    public void Invalid_samples_are_refused_naming_the_field()
    {
        var store = new InMemoryMetricsStore();
        var ex = Assert.Throws<ArgumentException>(() => store.Add(Samples.Healthy(Engine.V1, TestClock.Epoch, latency: double.NaN)));
        Assert.That(ex!.Message, Does.Contain("latency_ms"));
        Assert.Throws<ArgumentException>(() => store.Add(Samples.Healthy(Engine.V1, TestClock.Epoch, quality: 101)));
    }

    /// <summary>
    /// Windows are fed lazily (on read) from the samples appended since: any interleaving of adds and
    /// reads of several windows, with retention far below the time window, must equal sorting the
    /// window's samples, taken from a complete reference list (not from the store, which drops them).
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 60)]
    public bool Lazily_fed_windows_equal_compute_for_any_interleaving_of_adds_and_reads(int seed, byte[] steps)
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock, retainPerEngine: 40);
        var all = new List<Sample>();
        var rng = new Random(seed);
        WindowSpec[] specs = [WindowSpec.LastRuns(3), WindowSpec.LastRuns(25), WindowSpec.LastDuration(TimeSpan.FromMinutes(2))];
        foreach (var spec0 in specs)
        {
            // The detector asks for its windows from the first evaluation on; from then on retention cannot shorten them.
            store.Aggregate(Engine.V2, spec0, clock.GetUtcNow());
            store.Counts(Engine.V2, spec0, clock.GetUtcNow());
        }
        foreach (var step in steps)
        {
            // Mostly bursts of adds, sometimes a read of one window (full or counts only).
            for (var i = 0; i < step % 90; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(rng.Next(0, 3)));
                var s = Samples.Healthy(Engine.V2, clock.GetUtcNow(), latency: rng.Next(0, 3000), quality: rng.Next(0, 100)) with
                {
                    Error = rng.Next(7) == 0, Complaint = rng.Next(11) == 0,
                };
                store.Add(s);
                all.Add(s);
            }
            var spec = specs[step % specs.Length];
            var now = clock.GetUtcNow();
            var expected = WindowAggregates.Compute(spec.Kind == WindowKind.Count
                ? all.Skip(Math.Max(0, all.Count - spec.Runs))
                : all.Where(x => x.At > now - spec.Duration && x.At <= now));
            var full = store.Aggregate(Engine.V2, spec, now);
            var counts = store.Counts(Engine.V2, spec, now);
            if (full != expected || counts.Count != expected.Count || counts.Errors != expected.Errors || counts.Complaints != expected.Complaints)
            {
                return false;
            }
        }
        return true;
    }

    [Test]
    public void Retention_never_shortens_a_window_the_detector_has_asked_for()
    {
        var clock = new FakeTimeProvider(TestClock.Epoch);
        var store = new InMemoryMetricsStore(clock, retainPerEngine: 10);
        var spec = WindowSpec.LastRuns(100);
        Assert.That(store.Aggregate(Engine.V1, spec, clock.GetUtcNow()).Count, Is.Zero);
        var all = new List<Sample>();
        for (var i = 0; i < 250; i++)
        {
            var s = Samples.Healthy(Engine.V1, clock.GetUtcNow(), latency: i);
            store.Add(s);
            all.Add(s);
        }
        Assert.That(store.Count(Engine.V1), Is.EqualTo(10), "the store keeps only 10 samples");
        Assert.That(store.Aggregate(Engine.V1, spec, clock.GetUtcNow()), Is.EqualTo(WindowAggregates.Compute(all.Skip(150))), "the window still has its 100 runs");
    }

    [Test]
    public void A_batch_with_an_invalid_sample_adds_nothing()
    {
        var store = new InMemoryMetricsStore(new FakeTimeProvider(TestClock.Epoch));
        Sample[] batch = [Samples.Healthy(Engine.V1, TestClock.Epoch), Samples.Healthy(Engine.V1, TestClock.Epoch, quality: 150)];
        var ex = Assert.Throws<ArgumentException>(() => store.AddRange(batch.AsSpan()));
        Assert.That(ex!.Message, Does.Contain("quality"));
        Assert.That(store.Count(Engine.V1), Is.Zero);
        store.AddRange(batch.AsSpan(0, 1));
        Assert.That(store.Count(Engine.V1), Is.EqualTo(1));
    }
}
