using CanarySim.Core.Rollback;
using CanarySim.Core.Tests.Detection;

namespace CanarySim.Core.Tests.Rollback;

/// <summary>The small parts around the controller: the in-memory store's compare-and-set and history limit, pause wording, the local leader lock.</summary>
public sealed class RollbackPartsTests
{
    private static SettingsChange Ramp(VersionedSettings latest, double pct) =>
        new(0, TestClock.Epoch, "ops", SettingsChangeKind.Config, "ramp", latest.Settings, latest.Settings with { CanaryPct = pct }, []);

    [Test]
    public void The_in_memory_store_refuses_a_change_decided_on_a_version_no_longer_stored()
    {
        var store = new InMemorySettingsStore();
        store.Commit(latest => Ramp(latest, 10), expectedVersion: 0);

        var ex = Assert.Throws<SettingsConflictException>(() => store.Commit(latest => Ramp(latest, 20), expectedVersion: 0))!;

        Assert.That(ex.Message, Is.EqualTo("the settings changed: the change expected version 0 but version 1 is stored; re-read and retry"));
        Assert.That((ex.Expected, ex.Current.Version, ex.Current.Settings.CanaryPct), Is.EqualTo((0L, 1L, 10.0)));
        Assert.That((store.Current.Version, store.History().Count), Is.EqualTo((1L, 1)), "nothing was written");
        Assert.That(store.Commit(latest => Ramp(latest, 20), expectedVersion: 1)!.Sequence, Is.EqualTo(2));
        Assert.That(() => store.Commit(null!), Throws.ArgumentNullException);
    }

    [TestCase(null, new[] { 10.0, 20.0, 30.0 })]
    [TestCase(5, new[] { 10.0, 20.0, 30.0 })]
    [TestCase(2, new[] { 20.0, 30.0 })]
    [TestCase(1, new[] { 30.0 })]
    [TestCase(0, new double[0])]
    [TestCase(-1, new double[0])]
    public void The_in_memory_history_limit_keeps_the_latest_changes_oldest_first(int? limit, double[] pcts)
    {
        var store = new InMemorySettingsStore();
        foreach (var pct in new[] { 10.0, 20.0, 30.0 })
        {
            store.Commit(latest => Ramp(latest, pct));
        }

        Assert.That(store.History(limit).Select(c => c.After.CanaryPct), Is.EqualTo(pcts));
    }

    [Test]
    public void A_conflict_needs_the_stored_settings()
    {
        Assert.That(() => new SettingsConflictException(1, null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("current"));
    }

    [TestCase(1.23456, "paused: inconclusive (latency, 1.235): why")]
    [TestCase(90.0, "paused: inconclusive (latency, 90): why")]
    public void An_inconclusive_pause_reason_shows_the_value_to_three_decimals(double value, string reason) =>
        Assert.That(PauseReasons.Inconclusive("latency", value, "why"), Is.EqualTo(reason));

    [Test]
    public void A_pause_headline_without_its_closing_parenthesis_is_the_whole_reason()
    {
        Assert.That(PauseReasons.Headline("paused: inconclusive (judge"), Is.EqualTo("paused: inconclusive (judge"));
        Assert.That(() => PauseReasons.Headline(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void A_local_leader_lock_is_held_from_acquire_until_release_or_dispose()
    {
        using var leader = new LocalLeaderLock("rollout");
        Assert.That((leader.Name, leader.IsHeld), Is.EqualTo(("rollout", false)));
        Assert.That((leader.TryAcquire(), leader.IsHeld), Is.EqualTo((true, true)));
        leader.Release();
        Assert.That(leader.IsHeld, Is.False);
        leader.TryAcquire();
        leader.Dispose();
        Assert.That(leader.IsHeld, Is.False);
        Assert.That(() => new LocalLeaderLock(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void A_store_that_is_ok_is_connected_without_an_error()
    {
        Assert.That(SettingsStoreHealth.Ok, Is.EqualTo(new SettingsStoreHealth(true, null, null)));
    }
}
