using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CanarySim.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file holding the versioned router settings and their
/// history (<see cref="Settings"/>), the append-only audit log (<see cref="Audit"/>) and the metric
/// samples (<see cref="Samples"/>). This class owns the one connection they share. WAL journaling,
/// so readers never block the writer; every write is its own transaction and is durable when it
/// returns (see <see cref="SqliteStoreOptions.Synchronous"/>). Safe for several threads and for
/// several processes on the same file. Open with <see cref="Open"/>; a file that is not a CanarySim
/// store (not SQLite, damaged, truncated, another application's database, a newer schema) is
/// refused with a <see cref="CanarySimStoreException"/> and never modified; an older schema is
/// migrated.
/// </summary>
public sealed class SqliteStore : IDisposable
{
    /// <summary>The schema version this build writes and reads (also PRAGMA user_version).</summary>
    public const int SchemaVersion = StoreFile.SchemaVersion;

    /// <summary>PRAGMA application_id marking a CanarySim store (ASCII "CnSm").</summary>
    public const int ApplicationId = StoreFile.ApplicationId;

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();
    private bool _disposed;

    private SqliteStore(string path, SqliteConnection connection, TimeProvider time)
    {
        Path = path;
        _connection = connection;
        Time = time;
        Settings = new SqliteSettingsStore(this);
        Audit = new SqliteAuditLog(this);
        Samples = new SqliteSampleStore(this);
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The versioned router settings and their history.</summary>
    public SqliteSettingsStore Settings { get; }

    /// <summary>The append-only audit log.</summary>
    public SqliteAuditLog Audit { get; }

    /// <summary>The metric samples.</summary>
    public SqliteSampleStore Samples { get; }

    /// <summary>The clock for everything the store stamps and for "now" in sample windows.</summary>
    internal TimeProvider Time { get; }

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating the file (and its folder) with the schema
    /// when it does not exist or is empty, and migrating an older schema.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="timeProvider">The clock for everything the store stamps (<c>recorded_at</c>) and for "now" in <see cref="SqliteSampleStore.Since"/>.</param>
    /// <param name="options">Durability and locking options; <see cref="SqliteStoreOptions.Default"/> when null.</param>
    /// <exception cref="CanarySimStoreException">The file is not a usable CanarySim store; it was left untouched.</exception>
    public static SqliteStore Open(string path, TimeProvider timeProvider, SqliteStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options ??= SqliteStoreOptions.Default;
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);

        var fullPath = System.IO.Path.GetFullPath(path);
        var isNew = StoreFile.IsNew(fullPath);
        if (isNew)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        }
        else
        {
            StoreFile.CheckHeader(fullPath);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = isNew ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false, // one long-lived connection per store; pooling would keep the file open after Dispose
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            StoreSchema.Execute(connection, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds};");
            var created = isNew && StoreSchema.CreateIfEmpty(connection, fullPath, timeProvider);
            StoreSchema.MigrateAndValidate(connection, fullPath, verify: options.VerifyOnOpen && !created);

            // WAL: readers never block the writer and a commit is one sequential append to the log.
            var journal = StoreSchema.Scalar<string>(connection, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new CanarySimStoreException(fullPath, $"cannot switch to WAL journaling (journal_mode is {journal}); is the file on a network or read-only file system?");
            }
            StoreSchema.Execute(connection, options.Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
            return new SqliteStore(fullPath, connection, timeProvider);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new CanarySimStoreException(fullPath, StoreSchema.Explain(ex), ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>PRAGMA data_version</c>: a number that changes when another connection (in this or another
    /// process) committed to the file since the last call on this connection. One cheap read, no I/O
    /// on the database pages.
    /// </summary>
    public long DataVersion() => Run(() => StoreSchema.Scalar<long>(_connection, "PRAGMA data_version;"));

    /// <summary>
    /// A lock named <paramref name="name"/> that at most one of the processes sharing this file holds (a
    /// <see cref="FileLeaderLock"/> on <c>FILE.NAME.lock</c> beside the database).
    /// </summary>
    public FileLeaderLock CreateLeaderLock(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var safe = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        return new FileLeaderLock(name, $"{Path}.{safe}.lock");
    }

    /// <summary>Runs <c>PRAGMA integrity_check</c>: <c>ok</c>, or the problems found, one per line.</summary>
    public string CheckIntegrity() => Run(() =>
    {
        using var command = Command("PRAGMA integrity_check;");
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join('\n', lines);
    });

    /// <summary>Closes the database (the last connection to close checkpoints the WAL into the file).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _connection.Dispose();
        }
    }

    /// <summary>Runs <paramref name="action"/> on the connection, one caller at a time; SQLite errors become <see cref="CanarySimStoreException"/>.</summary>
    internal T Run<T>(Func<T> action)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return action();
            }
            catch (SqliteException ex)
            {
                throw new CanarySimStoreException(Path, StoreSchema.Explain(ex), ex);
            }
        }
    }

    /// <summary>Every row <paramref name="query"/> selects, read by <paramref name="row"/>, one caller at a time.</summary>
    internal List<T> Select<T>(StoreQuery query, Func<DbDataReader, T> row) => Run(() =>
    {
        using var command = Command(query.Sql);
        return query.Read(command, row);
    });

    /// <summary>The exception for a row of this file that cannot be read (the store is damaged).</summary>
    internal Exception Damaged(string problem, Exception? cause) => new CanarySimStoreException(Path, problem, cause);

    /// <summary>Begins an IMMEDIATE transaction (takes the write lock at once, so read-then-write is atomic across processes). Call inside <see cref="Run{T}"/>.</summary>
    internal SqliteTransaction BeginWrite() => _connection.BeginTransaction(deferred: false);

    /// <summary>A command on the connection. Call inside <see cref="Run{T}"/>.</summary>
    internal SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
