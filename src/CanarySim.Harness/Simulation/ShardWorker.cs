namespace CanarySim.Harness.Simulation;

/// <summary>
/// A second thread that runs one piece of work at a time for the simulation loop (the second
/// <see cref="TrafficShard"/> of each interval). The hand-off spins briefly before it blocks: an
/// interval's share takes a fraction of a millisecond, so starting a task for each would cost more
/// than it saves.
/// </summary>
internal sealed class ShardWorker : IDisposable
{
    private const int SpinCount = 2000; // ManualResetEventSlim's maximum is 2047; spinning never sleeps
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _go = new(false, SpinCount);
    private readonly ManualResetEventSlim _done = new(false, SpinCount);
    private Action? _work;
    private Exception? _error;
    private volatile bool _stopping;

    public ShardWorker()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "canarysim-shard" };
        _thread.Start();
    }

    /// <summary>Starts <paramref name="work"/> on the worker; <see cref="Wait"/> before starting more.</summary>
    public void Start(Action work)
    {
        _work = work;
        _error = null;
        _done.Reset();
        _go.Set();
    }

    /// <summary>Waits for the work started last; rethrows what it threw.</summary>
    public void Wait()
    {
        _done.Wait();
        if (_error is { } error)
        {
            throw new InvalidOperationException("A simulation shard failed: " + error.Message, error);
        }
    }

    private void Loop()
    {
        while (true)
        {
            _go.Wait();
            _go.Reset();
            if (_stopping)
            {
                return;
            }
            try
            {
                _work!();
            }
            catch (Exception ex)
            {
                _error = ex;
            }
            _done.Set();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _go.Set();
        _thread.Join();
        _go.Dispose();
        _done.Dispose();
    }
}
