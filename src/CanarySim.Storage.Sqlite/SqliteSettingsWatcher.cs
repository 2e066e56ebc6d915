using CanarySim.Core.Rollback;

namespace CanarySim.Storage.Sqlite;

/// <summary>
/// Sees settings changes made by other processes on the same file: every
/// <see cref="SqliteStoreOptions.ChangePollInterval"/> (on the store's <see cref="TimeProvider"/>) it
/// reads <c>PRAGMA data_version</c>, which moves only when another connection committed, and then
/// reads the one current-settings row. A failing poll marks the watcher disconnected until one succeeds.
/// </summary>
public sealed class SqliteSettingsWatcher : ISettingsWatcher
{
    private readonly SqliteStore _db;
    private readonly TimeSpan _interval;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private long? _dataVersion;
    private long _seenVersion = -1;
    private SettingsStoreHealth _health = SettingsStoreHealth.Ok;
    private bool _disposed;

    /// <summary>Creates a watcher over <paramref name="store"/>, polling every <paramref name="interval"/>.</summary>
    public SqliteSettingsWatcher(SqliteStore store, TimeSpan interval)
    {
        _db = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _interval = interval;
    }

    /// <inheritdoc />
    public event Action<VersionedSettings>? Changed;

    /// <summary>Never raised: the instances on a file evaluate on their own ingest and on their interval.</summary>
    public event Action? SamplesAdded
    {
        add { }
        remove { }
    }

    /// <inheritdoc />
    public SettingsStoreHealth Health
    {
        get { lock (_lock) { return _health; } }
    }

    /// <inheritdoc />
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _timer ??= _db.Time.CreateTimer(_ => Poll(), null, _interval, _interval);
        }
    }

    /// <summary>One poll: when another connection committed since the last, reads the current settings and raises <see cref="Changed"/> if their version moved.</summary>
    public void Poll()
    {
        VersionedSettings? changed = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            try
            {
                var dataVersion = _db.DataVersion();
                if (_dataVersion != dataVersion)
                {
                    _dataVersion = dataVersion;
                    var current = _db.Settings.Current;
                    if (current.Version != _seenVersion)
                    {
                        _seenVersion = current.Version;
                        changed = current;
                    }
                }
                _health = SettingsStoreHealth.Ok;
            }
            catch (Exception ex) when (ex is CanarySimStoreException or ObjectDisposedException)
            {
                _health = _health.Connected ? new SettingsStoreHealth(false, _db.Time.GetUtcNow(), ex.Message) : _health with { Error = ex.Message };
            }
        }
        if (changed is not null)
        {
            Changed?.Invoke(changed);
        }
    }

    /// <summary>Stops polling.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }
}
