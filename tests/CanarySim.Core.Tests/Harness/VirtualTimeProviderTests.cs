using CanarySim.Harness.Time;

namespace CanarySim.Core.Tests.Harness;

public sealed class VirtualTimeProviderTests
{
    [Test]
    public void Clock_moves_only_when_advanced()
    {
        var time = new VirtualTimeProvider();
        var start = time.GetUtcNow();
        Assert.That(time.GetUtcNow(), Is.EqualTo(start));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.That(time.GetUtcNow(), Is.EqualTo(start + TimeSpan.FromMinutes(5)));
        Assert.That(time.GetElapsedTime(0), Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public void Starts_at_the_given_instant()
    {
        var at = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        Assert.That(new VirtualTimeProvider(at).GetUtcNow(), Is.EqualTo(at));
    }

    [Test]
    public void Timers_fire_in_due_order_with_the_clock_at_their_due_time()
    {
        var time = new VirtualTimeProvider();
        var start = time.GetUtcNow();
        var fired = new List<(string Name, TimeSpan At)>();
        using var late = time.CreateTimer(_ => fired.Add(("late", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(_ => fired.Add(("early", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        using var tie = time.CreateTimer(_ => fired.Add(("tie", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.That(fired, Is.Empty);
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.That(fired, Is.EqualTo(new[]
        {
            ("early", TimeSpan.FromSeconds(10)),
            ("tie", TimeSpan.FromSeconds(10)),
            ("late", TimeSpan.FromSeconds(30)),
        }));
        Assert.That(time.GetUtcNow() - start, Is.EqualTo(TimeSpan.FromSeconds(69)));
    }

    [Test]
    public void Periodic_timer_fires_once_per_period_and_stops_when_disposed()
    {
        var time = new VirtualTimeProvider();
        var count = 0;
        var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.That(count, Is.EqualTo(10));
        timer.Dispose();
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.That(count, Is.EqualTo(10));
        Assert.That(timer.Change(TimeSpan.Zero, TimeSpan.Zero), Is.False);
    }

    [Test]
    public void Change_reschedules_and_infinite_disarms()
    {
        var time = new VirtualTimeProvider();
        var count = 0;
        using var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        timer.Change(TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(count, Is.Zero);
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromHours(1));
        Assert.That(count, Is.Zero);
        Assert.That(time.ActiveTimers, Is.Zero);
    }

    [Test]
    public async Task Task_Delay_completes_only_after_virtual_time_passes()
    {
        var time = new VirtualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromHours(48), time);
        time.Advance(TimeSpan.FromHours(47));
        Assert.That(delay.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromHours(1));
        await delay;
        Assert.That(delay.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void Cancellation_token_source_times_out_in_virtual_time()
    {
        var time = new VirtualTimeProvider();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.That(cts.IsCancellationRequested, Is.False);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(cts.IsCancellationRequested, Is.True);
    }

    [Test]
    public void Time_never_moves_backwards()
    {
        var time = new VirtualTimeProvider();
        Assert.Throws<ArgumentOutOfRangeException>(() => time.Advance(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => time.SetUtcNow(time.GetUtcNow() - TimeSpan.FromTicks(1)));
        var target = time.GetUtcNow() + TimeSpan.FromDays(3);
        time.SetUtcNow(target);
        Assert.That(time.GetUtcNow(), Is.EqualTo(target));
    }

    [Test]
    public void Callback_that_creates_a_timer_due_within_the_advance_sees_it_fire()
    {
        var time = new VirtualTimeProvider();
        var fired = new List<string>();
        ITimer? inner = null;
        using var outer = time.CreateTimer(_ =>
        {
            fired.Add("outer");
            inner = time.CreateTimer(_ => fired.Add("inner"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromSeconds(5));
        inner?.Dispose();
        Assert.That(fired, Is.EqualTo(new[] { "outer", "inner" }));
    }
}
