using CanarySim.Harness.Scenarios;
using CanarySim.Harness.Fakes;

namespace CanarySim.Core.Tests.Harness;

public sealed class FakeStoresTests
{
    [Test]
    public void Fake_metrics_store_holds_the_requested_constant_samples()
    {
        var time = new FakeTimeProvider(ScenarioWorld.DefaultStart);
        var store = new FakeMetricsStore(v1Quality: 95, v2Quality: 85, v2LatencyMs: 1700, v2CostCents: 4, v2Samples: 50, timeProvider: time);

        var v2 = store.LastRuns(Engine.V2, 100);
        Assert.That(v2, Has.Count.EqualTo(50));
        Assert.That(v2.All(s => s.Quality == 85 && s.LatencyMs == 1700 && s.CostCents == 4 && s.Engine == Engine.V2), Is.True);
        Assert.That(store.LastRuns(Engine.V1, 1000), Has.Count.EqualTo(100));
        Assert.That(store.LastRuns(Engine.V1, 1000).All(s => s.Quality == 95), Is.True);
        Assert.That(v2[^1].At, Is.EqualTo(time.GetUtcNow()));
        Assert.That(v2.Zip(v2.Skip(1)).All(p => p.First.At < p.Second.At), Is.True);
    }

    [Test]
    public void Fake_metrics_store_windows_by_count_and_time()
    {
        var time = new FakeTimeProvider(ScenarioWorld.DefaultStart);
        var store = FakeMetricsStore.Empty(time);
        for (var i = 0; i < 10; i++)
        {
            store.Add(new Sample { Engine = Engine.V2, At = time.GetUtcNow(), Quality = i });
            time.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.That(store.LastRuns(Engine.V2, 3).Select(s => s.Quality), Is.EqualTo(new double[] { 7, 8, 9 }));
        Assert.That(store.Since(Engine.V2, time.GetUtcNow() - TimeSpan.FromMinutes(5)).Select(s => s.Quality), Is.EqualTo(new double[] { 6, 7, 8, 9 }));
        Assert.That(store.LastRuns(Engine.V1, 3), Is.Empty);
        store.Add(new Sample { Engine = Engine.V2, At = time.GetUtcNow() - TimeSpan.FromHours(1), Quality = -1 });
        Assert.That(store.LastRuns(Engine.V2, 100)[0].Quality, Is.EqualTo(-1), "out-of-order add is kept in time order");
    }

    [Test]
    public void Failed_settings_write_changes_nothing()
    {
        var store = new FaultInjectingSettingsStore();
        Commit(store, s => s with { CanaryPct = 5 });

        store.FailNextWrites(1);
        var e = Assert.Throws<IOException>(() => Commit(store, s => s with { KillSwitch = true, CanaryPct = 0 }, SettingsChangeKind.Rollback));

        Assert.That(e!.Message, Does.Contain("nothing was written"));
        Assert.That(store.Current.Settings.CanaryPct, Is.EqualTo(5));
        Assert.That(store.Current.Settings.KillSwitch, Is.False);
        Assert.That(store.Current.Version, Is.EqualTo(1));
        Assert.That(store.History(), Has.Count.EqualTo(1));
        Assert.That(store.FailedWrites, Is.EqualTo(1));

        Commit(store, s => s with { KillSwitch = true, CanaryPct = 0 }, SettingsChangeKind.Rollback);
        Assert.That(store.Current.Settings.KillSwitch, Is.True);
        Assert.That(store.History(), Has.Count.EqualTo(2));
        Assert.That(store.WriteAttempts, Is.EqualTo(3));
    }

    [Test]
    public void Fail_all_writes_until_switched_off()
    {
        var store = new FaultInjectingSettingsStore(new InMemorySettingsStore());
        store.FailAllWrites = true;
        Assert.Throws<IOException>(() => Commit(store, s => s));
        Assert.Throws<IOException>(() => Commit(store, s => s));
        store.FailAllWrites = false;
        Assert.DoesNotThrow(() => Commit(store, s => s));
        Assert.That(store.History(), Has.Count.EqualTo(1));
    }

    private static SettingsChange Commit(ISettingsStore store, Func<RouterSettings, RouterSettings> update, SettingsChangeKind kind = SettingsChangeKind.Config) =>
        store.Commit(latest => new(0, ScenarioWorld.DefaultStart, "qa", kind, "test", latest.Settings, update(latest.Settings), []))!;
}
