namespace CanarySim.Core.Rollback;

/// <summary>
/// Tells one router instance that the stored settings changed, whoever changed them, so it swaps
/// its live snapshot (SQLite: polling the file's change counter; PostgreSQL: LISTEN/NOTIFY).
/// </summary>
public interface ISettingsWatcher : IDisposable
{
    /// <summary>Raised, on a background thread or a timer callback, with the latest stored settings after a change was seen.</summary>
    event Action<VersionedSettings>? Changed;

    /// <summary>Whether the watcher sees the store now, and since when it does not.</summary>
    SettingsStoreHealth Health { get; }

    /// <summary>Starts watching (idempotent).</summary>
    void Start();
}
