namespace CanarySim.Core.Tests.Routing;

/// <summary>A virtual clock for tests: time moves only on <see cref="Advance"/>, which fires due timers.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);
    private long _ticks;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) { return _now; }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_lock) { return _ticks; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        long target;
        lock (_lock) { target = _ticks + by.Ticks; }
        while (true)
        {
            ManualTimer? next = null;
            lock (_lock)
            {
                foreach (var t in _timers)
                {
                    if (t.DueAt <= target && (next is null || t.DueAt < next.DueAt))
                    {
                        next = t;
                    }
                }
                if (next is null)
                {
                    _now = _now.AddTicks(target - _ticks);
                    _ticks = target;
                    return;
                }
                var at = Math.Max(next.DueAt, _ticks); // a timer left overdue fires now, never moving the clock back
                _now = _now.AddTicks(at - _ticks);
                _ticks = at;
                if (next.Period > 0)
                {
                    next.DueAt += next.Period;
                }
                else
                {
                    _timers.Remove(next);
                }
            }
            next.Fire();
        }
    }

    /// <summary>
    /// Moves time forward but fires only the most recently scheduled timer that falls due (two timers due at the same
    /// instant: the newer fires, and whatever it starts runs to completion before the older would). Timers it leaves
    /// due fire on the next <see cref="Advance"/>.
    /// </summary>
    public void AdvanceFiringNewestOnly(TimeSpan by)
    {
        ManualTimer? newest = null;
        lock (_lock)
        {
            var target = _ticks + by.Ticks;
            foreach (var t in _timers)
            {
                if (t.DueAt <= target)
                {
                    newest = t; // the list is in scheduling order
                }
            }
            _now = _now.AddTicks(target - _ticks);
            _ticks = target;
            if (newest is null)
            {
                return;
            }
            if (newest.Period > 0)
            {
                newest.DueAt += newest.Period;
            }
            else
            {
                _timers.Remove(newest);
            }
        }
        newest.Fire();
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueAt;
        public long Period;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }
                DueAt = owner._ticks + dueTime.Ticks;
                Period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
                owner._timers.Add(this);
                return true;
            }
        }

        public void Dispose()
        {
            lock (owner._lock) { owner._timers.Remove(this); }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
