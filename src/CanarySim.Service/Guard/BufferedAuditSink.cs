using System.Threading.Channels;
using CanarySim.Core.Audit;

namespace CanarySim.Service.Guard;

/// <summary>
/// Route decisions arrive thousands of times a second; writing each as its own durable SQLite
/// transaction would put a disk flush on every request. This sink queues them and a background
/// loop appends them in batches (one transaction per batch). Bounded: when the writer falls more
/// than <c>capacity</c> events behind, new events are dropped and counted, never blocking a request.
/// Disposing flushes what is queued.
/// </summary>
internal sealed class BufferedAuditSink : IAuditSink, IDisposable
{
    private readonly Channel<AuditEvent> _channel;
    private readonly Action<IReadOnlyList<AuditEvent>> _write;
    private readonly Action<Exception> _onError;
    private readonly Task _loop;
    private long _dropped;

    public BufferedAuditSink(Action<IReadOnlyList<AuditEvent>> write, int capacity, Action<Exception> onError)
    {
        _write = write;
        _onError = onError;
        _channel = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _dropped));
        _loop = Task.Run(DrainAsync);
    }

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Append(AuditEvent auditEvent) => _channel.Writer.TryWrite(auditEvent);

    private async Task DrainAsync()
    {
        var batch = new List<AuditEvent>(1024);
        while (await _channel.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < 4096 && _channel.Reader.TryRead(out var e))
            {
                batch.Add(e);
            }
            try
            {
                _write(batch);
            }
            catch (Exception ex)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                _onError(ex);
            }
            batch.Clear();
        }
    }

    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(10));
    }
}
