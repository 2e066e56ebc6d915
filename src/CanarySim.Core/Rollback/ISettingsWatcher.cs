namespace CanarySim.Core.Rollback;

/// <summary>
/// Tells one router instance that the stored settings changed, whoever changed them, so it swaps
/// its live snapshot (SQLite: polling the file's change counter; PostgreSQL: LISTEN/NOTIFY).
/// </summary>
public interface ISettingsWatcher : IDisposable
{
    /// <summary>Raised, on a background thread or a timer callback, with the latest stored settings after a change was seen.</summary>
    event Action<VersionedSettings>? Changed;

    /// <summary>
    /// Raised when any instance stored samples, where the store announces them (PostgreSQL; a SQLite file does not),
    /// so the instance that evaluates can evaluate on another instance's ingest at once.
    /// </summary>
    event Action? SamplesAdded;

    /// <summary>Whether the watcher sees the store now, and since when it does not.</summary>
    SettingsStoreHealth Health { get; }

    /// <summary>Starts watching (idempotent).</summary>
    void Start();
}
