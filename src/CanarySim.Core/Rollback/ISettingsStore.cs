namespace CanarySim.Core.Rollback;

/// <summary>
/// Persists the router settings, versioned, and their full history. Every change is a
/// compare-and-set: it is decided on the latest stored settings inside the store's transaction, so
/// no writer (thread, process or machine) can write back a stale copy over another's change.
/// Implementations: in-memory (tests, simulations), SQLite (the embedded default) and PostgreSQL
/// (the fleet store).
/// </summary>
public interface ISettingsStore
{
    /// <summary>The latest stored settings and their version (the default settings at version 0 before any change).</summary>
    VersionedSettings Current { get; }

    /// <summary>
    /// In one transaction: reads the latest stored settings; when <paramref name="expectedVersion"/> is
    /// given and differs, throws <see cref="SettingsConflictException"/>; asks <paramref name="decide"/> for
    /// the change to make from them (null: nothing to store); stores it as the next version, with the
    /// <see cref="SettingsChange.Before"/> it was decided from (the latest stored settings; before anything
    /// was stored, the deciding instance's own starting settings). <paramref name="decide"/> may
    /// run while the store holds its write lock: it must be quick and free of side effects, and may
    /// throw to refuse the change (nothing is stored then).
    /// </summary>
    /// <returns>The stored change with its <see cref="SettingsChange.Sequence"/> (the new version), or null when <paramref name="decide"/> returned null.</returns>
    /// <exception cref="SettingsConflictException">The stored version is not <paramref name="expectedVersion"/>; nothing was written.</exception>
    SettingsChange? Commit(Func<VersionedSettings, SettingsChange?> decide, long? expectedVersion = null);

    /// <summary>The history, oldest first; at most <paramref name="limit"/> most recent entries when given.</summary>
    IReadOnlyList<SettingsChange> History(int? limit = null);
}
