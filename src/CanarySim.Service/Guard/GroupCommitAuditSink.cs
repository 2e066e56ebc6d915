using CanarySim.Core.Audit;

namespace CanarySim.Service.Guard;

/// <summary>
/// Group commit for route events: thousands of decisions a second cannot each pay for their own
/// transaction, and none may be acknowledged before it is stored. <see cref="Append"/> adds an event to
/// the open batch; one writer thread commits a batch at a time in one transaction (while it writes, the
/// next batch fills), and <see cref="WhenCommittedAsync"/> completes once everything appended before
/// the call is committed — a request answers only then. A failed commit fails the waiting requests
/// (they are not acknowledged) and is counted in <see cref="Failed"/>. Nothing is ever dropped silently.
/// </summary>
internal sealed class GroupCommitAuditSink : IAuditSink, IDisposable
{
    private readonly Action<IReadOnlyList<AuditEvent>> _write;
    private readonly Action<Exception> _onError;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Thread _writer;
    private List<AuditEvent> _open = [];
    private TaskCompletionSource _openCommitted = NewCompletion();
    private TaskCompletionSource? _writing;
    private bool _stopping;
    private long _failed;
    private long _commits;

    public GroupCommitAuditSink(Action<IReadOnlyList<AuditEvent>> write, Action<Exception> onError)
    {
        _write = write;
        _onError = onError;
        // A dedicated thread: each batch is a durable SQLite commit; blocking a thread-pool thread on it
        // would starve request handling on small machines.
        _writer = new Thread(Drain) { IsBackground = true, Name = "canarysim-audit-writer" };
        _writer.Start();
    }

    /// <summary>Events whose commit failed (their requests were answered with an error, not acknowledged).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Transactions committed so far (one per batch).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    public void Append(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        bool first;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _open.Add(auditEvent);
            first = _open.Count == 1;
        }
        if (first)
        {
            _signal.Release();
        }
    }

    /// <summary>Completes when every event appended before this call is committed; faults when its batch failed.</summary>
    public Task WhenCommittedAsync()
    {
        lock (_lock)
        {
            return _open.Count > 0 ? _openCommitted.Task : _writing?.Task ?? Task.CompletedTask;
        }
    }

    private void Drain()
    {
        while (true)
        {
            _signal.Wait();
            while (TryTake(out var batch, out var committed))
            {
                try
                {
                    _write(batch);
                    Interlocked.Increment(ref _commits);
                    Finish(committed, null);
                }
                catch (Exception ex)
                {
                    Interlocked.Add(ref _failed, batch.Count);
                    _onError(ex);
                    Finish(committed, ex);
                }
            }
            lock (_lock)
            {
                if (_stopping && _open.Count == 0)
                {
                    return;
                }
            }
        }
    }

    private bool TryTake(out List<AuditEvent> batch, out TaskCompletionSource committed)
    {
        lock (_lock)
        {
            batch = _open;
            committed = _openCommitted;
            if (batch.Count == 0)
            {
                return false;
            }
            _open = [];
            _openCommitted = NewCompletion();
            _writing = committed;
            return true;
        }
    }

    private void Finish(TaskCompletionSource committed, Exception? error)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_writing, committed))
            {
                _writing = null;
            }
        }
        if (error is null)
        {
            committed.TrySetResult();
        }
        else
        {
            committed.TrySetException(new AuditWriteException("the audit log could not store the route decision", error));
        }
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Commits what is open, then stops the writer.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }
            _stopping = true;
        }
        _signal.Release();
        _writer.Join(TimeSpan.FromSeconds(10));
        _signal.Dispose();
    }
}
