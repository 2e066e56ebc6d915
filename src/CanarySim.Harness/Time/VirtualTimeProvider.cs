namespace CanarySim.Harness.Time;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when told to, so "5 minutes sustained" or
/// "48 hours" rehearse in milliseconds. Timers (and so <c>Task.Delay(…, provider)</c>, Polly
/// timeouts and <see cref="CancellationTokenSource"/> timeouts) fire during <see cref="Advance"/>
/// in due order — ties in creation order — with the clock set to each timer's due time while its
/// callback runs. Deterministic: no real time, no thread pool; callbacks run on the advancing thread.
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    /// <summary>The default start: 2026-02-19T10:00:00Z (the date used in the SPEC's examples).</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    // armed timers by (due, creation id); entries made stale by Change/Dispose are skipped via Version
    private readonly PriorityQueue<(VirtualTimer Timer, long Version), (DateTimeOffset Due, long Id)> _queue = new(DueOrder.Instance);
    private int _armed;
    private readonly DateTimeOffset _start;
    private DateTimeOffset _now;
    private long _nextTimerId;

    /// <summary>Creates a clock starting at <paramref name="start"/> (default <see cref="DefaultStart"/>).</summary>
    public VirtualTimeProvider(DateTimeOffset? start = null)
    {
        _start = (start ?? DefaultStart).ToUniversalTime();
        _now = _start;
    }

    /// <summary>Number of timers currently scheduled to fire.</summary>
    public int ActiveTimers
    {
        get { lock (_gate) { return _armed; } }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) { return _now; }
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_gate) { return (_now - _start).Ticks; }
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate) { target = _now + delta; }
        RunUntil(target);
    }

    /// <summary>Sets the clock to <paramref name="utcNow"/> (not earlier than now), firing timers due up to it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="utcNow"/> is before the current time.</exception>
    public void SetUtcNow(DateTimeOffset utcNow)
    {
        lock (_gate)
        {
            if (utcNow < _now)
            {
                throw new ArgumentOutOfRangeException(nameof(utcNow), utcNow, $"Virtual time only moves forward; it is already {_now:O}.");
            }
        }
        RunUntil(utcNow.ToUniversalTime());
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        lock (_gate)
        {
            timer.Id = _nextTimerId++;
        }
        timer.Change(dueTime, period);
        return timer;
    }

    private void RunUntil(DateTimeOffset target)
    {
        while (true)
        {
            VirtualTimer next;
            lock (_gate)
            {
                while (true)
                {
                    if (!_queue.TryPeek(out var entry, out var key) || key.Due > target)
                    {
                        _now = target;
                        return;
                    }
                    _queue.Dequeue();
                    if (entry.Version == entry.Timer.Version && entry.Timer.Due is not null)
                    {
                        next = entry.Timer;
                        break;
                    }
                }
                _now = next.Due!.Value;
                // Periodic timers are rescheduled before the callback, one-shot timers disarmed,
                // so a callback that calls Change() wins over the automatic schedule.
                if (next.Period is { } p && p > TimeSpan.Zero)
                {
                    Arm(next, _now + p);
                }
                else
                {
                    Disarm(next);
                }
            }
            next.Callback(next.State);
        }
    }

    // callers hold _gate
    private void Arm(VirtualTimer timer, DateTimeOffset due)
    {
        if (timer.Due is null)
        {
            _armed++;
        }
        timer.Due = due;
        timer.Version++;
        _queue.Enqueue((timer, timer.Version), (due, timer.Id));
    }

    // callers hold _gate
    private void Disarm(VirtualTimer timer)
    {
        if (timer.Due is not null)
        {
            _armed--;
        }
        timer.Due = null;
        timer.Version++;
    }

    private bool Schedule(VirtualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        }
        lock (_gate)
        {
            if (timer.Disposed)
            {
                return false;
            }
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                Disarm(timer);
            }
            else
            {
                Arm(timer, _now + dueTime);
            }
            timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
            return true;
        }
    }

    private void Remove(VirtualTimer timer)
    {
        lock (_gate)
        {
            Disarm(timer);
            timer.Disposed = true;
        }
    }

    private sealed class DueOrder : IComparer<(DateTimeOffset Due, long Id)>
    {
        public static readonly DueOrder Instance = new();

        public int Compare((DateTimeOffset Due, long Id) x, (DateTimeOffset Due, long Id) y)
        {
            var c = x.Due.CompareTo(y.Due);
            return c != 0 ? c : x.Id.CompareTo(y.Id);
        }
    }

    private sealed class VirtualTimer(VirtualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long Id { get; set; }
        public bool Disposed { get; set; }
        public long Version { get; set; }
        public DateTimeOffset? Due { get; set; }
        public TimeSpan? Period { get; set; }
        public TimerCallback Callback { get; } = callback;
        public object? State { get; } = state;

        public bool Change(TimeSpan dueTime, TimeSpan period) => owner.Schedule(this, dueTime, period);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
