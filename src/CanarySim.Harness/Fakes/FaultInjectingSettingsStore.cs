using CanarySim.Core.Rollback;

namespace CanarySim.Harness.Fakes;

/// <summary>
/// Wraps a settings store and makes writes fail on demand (the storage going away), to prove
/// callers lose nothing and never half-write: a failed <see cref="Commit"/> throws before the inner
/// store is touched, so its current settings and history stay exactly as they were.
/// </summary>
public sealed class FaultInjectingSettingsStore(ISettingsStore inner) : ISettingsStore
{
    private readonly ISettingsStore _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly Lock _lock = new();
    private int _failNext;
    private int _attempts;
    private int _failures;

    /// <summary>Wraps a new <see cref="InMemorySettingsStore"/>.</summary>
    public FaultInjectingSettingsStore()
        : this(new InMemorySettingsStore())
    {
    }

    /// <summary>When true, every write fails until set back to false.</summary>
    public bool FailAllWrites { get; set; }

    /// <summary>Writes attempted (failed or not).</summary>
    public int WriteAttempts => Volatile.Read(ref _attempts);

    /// <summary>Writes that were made to fail.</summary>
    public int FailedWrites => Volatile.Read(ref _failures);

    /// <summary>The wrapped store.</summary>
    public ISettingsStore Inner => _inner;

    /// <summary>Makes the next <paramref name="count"/> writes fail.</summary>
    public void FailNextWrites(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock) { _failNext = count; }
    }

    /// <inheritdoc />
    public VersionedSettings Current => _inner.Current;

    /// <inheritdoc />
    /// <exception cref="IOException">When a failure is injected; nothing was written.</exception>
    public SettingsChange? Commit(Func<VersionedSettings, SettingsChange?> decide, long? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(decide);
        int attempt;
        bool fail;
        lock (_lock)
        {
            attempt = ++_attempts;
            fail = FailAllWrites || _failNext > 0;
            if (_failNext > 0)
            {
                _failNext--;
            }
            if (fail)
            {
                _failures++;
            }
        }
        if (fail)
        {
            throw new IOException($"Injected settings store failure on write #{attempt}; nothing was written.");
        }
        return _inner.Commit(decide, expectedVersion);
    }

    /// <inheritdoc />
    public IReadOnlyList<SettingsChange> History(int? limit = null) => _inner.History(limit);
}
