namespace CanarySim.Storage.Sqlite;

/// <summary>The SQLite <c>PRAGMA synchronous</c> levels the store supports (always with WAL journaling).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// <c>synchronous=NORMAL</c>: the WAL is fsynced only at checkpoints. A committed transaction
    /// survives a process crash (SIGKILL), but the last commits may be lost on power failure or an
    /// OS crash. The database is never corrupted either way. Faster: no fsync per commit.
    /// </summary>
    Normal,

    /// <summary>
    /// <c>synchronous=FULL</c>: the WAL is fsynced at every commit, so a commit that returned
    /// survives a process crash, an OS crash and power loss. One fsync per transaction.
    /// </summary>
    Full,
}
