using System.ComponentModel.DataAnnotations;

namespace CanarySim.Storage.Sqlite;

/// <summary>How <see cref="SqliteStore"/> opens and writes its database file.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>
    /// How long a writer waits for another connection (in this or another process) to release the
    /// write lock before failing with <see cref="CanarySimStoreException"/>.
    /// The default value is 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Durability of each commit. The default value is <see cref="SqliteSynchronousMode.Full"/>:
    /// the audit contract is that a committed event is never lost, and FULL is the only WAL level
    /// that keeps that promise across power loss and OS crashes (NORMAL keeps it across process
    /// crashes only). Simulations writing many samples can batch them
    /// (<see cref="SqliteStore.AddRange"/>) or choose <see cref="SqliteSynchronousMode.Normal"/>.
    /// </summary>
    public SqliteSynchronousMode Synchronous { get; init; } = SqliteSynchronousMode.Full;

    /// <summary>
    /// Whether an existing file is checked with <c>PRAGMA quick_check</c> on open, so a damaged
    /// database is refused up front instead of failing on some later read.
    /// The default value is true.
    /// </summary>
    public bool VerifyOnOpen { get; init; } = true;

    /// <summary>
    /// How often a <see cref="SqliteSettingsWatcher"/> checks whether another process changed the
    /// settings (one <c>PRAGMA data_version</c> read; the settings row only when it moved).
    /// The default value is 250 milliseconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan ChangePollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The default options.</summary>
    public static SqliteStoreOptions Default { get; } = new();
}
