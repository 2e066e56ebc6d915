namespace CanarySim.Service.Guard;

/// <summary>
/// Evaluation on ingest: a sample batch that could change the verdict triggers an evaluation at once
/// instead of waiting for the next interval. Debounced and never more than one in flight: a trigger
/// while an evaluation runs marks it dirty, and one more evaluation follows, covering every batch that
/// arrived meanwhile. <see cref="Settled"/> completes when no evaluation is pending (tests await it).
/// </summary>
internal sealed class IngestEvaluator(Action evaluate)
{
    private readonly Lock _lock = new();
    private Task _running = Task.CompletedTask;
    private bool _active;
    private bool _dirty;

    /// <summary>Evaluations run so far.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    private long _runs;

    /// <summary>The evaluation in flight and any that follows it; completed when idle.</summary>
    public Task Settled
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    /// <summary>Asks for an evaluation; returns at once.</summary>
    public void Trigger()
    {
        lock (_lock)
        {
            if (_active)
            {
                _dirty = true;
                return;
            }
            _active = true;
            _running = Task.Run(Loop);
        }
    }

    private void Loop()
    {
        while (true)
        {
            lock (_lock)
            {
                _dirty = false;
            }
            try
            {
                evaluate();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The runtime logs and counts a failed evaluation; the next trigger or interval tries again.
            }
            Interlocked.Increment(ref _runs);
            lock (_lock)
            {
                if (!_dirty)
                {
                    _active = false;
                    return;
                }
            }
        }
    }
}
