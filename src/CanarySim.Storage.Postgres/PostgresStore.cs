using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace CanarySim.Storage.Postgres;

/// <summary>
/// The fleet store: one PostgreSQL database shared by every router instance, holding the versioned
/// router settings and their history (<see cref="Settings"/>), the append-only audit log
/// (<see cref="Audit"/>) and the metric samples (<see cref="Samples"/>). Every settings change is
/// announced with NOTIFY in its own transaction, so a <see cref="PostgresSettingsWatcher"/> in each
/// instance sees it as soon as it commits; <see cref="CreateLeaderLock"/> gives the advisory lock that
/// lets exactly one instance do a job (evaluate, drive a plan). This class owns the connection pool
/// they share; safe for many threads. Open with <see cref="Open"/>: the schema is created or migrated
/// on open, and a database with a newer or another application's schema is refused untouched.
/// </summary>
public sealed class PostgresStore : IDisposable
{
    /// <summary>The schema version this build writes and reads.</summary>
    public const int SchemaVersion = PostgresSchema.Version;

    private readonly NpgsqlDataSource _source;
    private int _disposed;

    private PostgresStore(NpgsqlDataSource source, string connectionString, string location, TimeProvider time, PostgresStoreOptions options)
    {
        _source = source;
        ConnectionString = connectionString;
        Location = location;
        Time = time;
        Options = options;
        Settings = new PostgresSettingsStore(this);
        Audit = new PostgresAuditLog(this);
        Samples = new PostgresSampleStore(this);
    }

    /// <summary>Where the store is, for humans: <c>postgresql://host:port/database</c> (never a password).</summary>
    public string Location { get; }

    /// <summary>The versioned router settings and their history.</summary>
    public PostgresSettingsStore Settings { get; }

    /// <summary>The append-only audit log.</summary>
    public PostgresAuditLog Audit { get; }

    /// <summary>The metric samples of every instance.</summary>
    public PostgresSampleStore Samples { get; }

    /// <summary>The clock for everything the store stamps and for "now" in sample windows.</summary>
    internal TimeProvider Time { get; }

    internal PostgresStoreOptions Options { get; }

    /// <summary>The connection string (with any password), for the watcher's and the leader locks' own connections.</summary>
    internal string ConnectionString { get; }

    /// <summary>
    /// Connects to the database named by <paramref name="connectionString"/>, creating the schema when
    /// there is none and migrating an older one.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Port=…;Username=…;Database=…</c>).</param>
    /// <param name="timeProvider">The clock for everything the store stamps and for "now" in <see cref="PostgresSampleStore.Since"/>.</param>
    /// <param name="options">Watcher timing; <see cref="PostgresStoreOptions.Default"/> when null.</param>
    /// <exception cref="PostgresStoreException">The server cannot be reached, or the database is not a usable CanarySim store (left untouched).</exception>
    public static PostgresStore Open(string connectionString, TimeProvider timeProvider, PostgresStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options ??= PostgresStoreOptions.Default;
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new PostgresStoreException("(connection string)", $"invalid connection string: {ex.Message}", ex);
        }
        if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new PostgresStoreException("(connection string)", "the connection string must name Host and Database (Host=…;Port=…;Username=…;Database=…)");
        }
        var location = $"postgresql://{builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{builder.Database}";
        builder.ApplicationName ??= "canarysim";
        var source = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            using (var connection = source.OpenConnection())
            {
                PostgresSchema.CreateOrMigrate(connection, location, timeProvider);
            }
            return new PostgresStore(source, builder.ConnectionString, location, timeProvider, options);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            source.Dispose();
            throw new PostgresStoreException(location, Explain(ex), ex);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>A watcher that hears every settings change by any instance (LISTEN/NOTIFY) and reconnects with backoff when its connection drops.</summary>
    public PostgresSettingsWatcher CreateWatcher() => new(this);

    /// <summary>
    /// A fleet-wide lock named <paramref name="name"/> (a PostgreSQL session advisory lock held on its own
    /// connection): at most one holder across every instance on this database; released when the holder
    /// releases it, disposes it, or its connection or process dies.
    /// </summary>
    public PostgresAdvisoryLock CreateLeaderLock(string name) => new(this, name);

    /// <summary>Closes the connection pool.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _source.Dispose();
        }
    }

    /// <summary>Runs <paramref name="action"/> on a pooled connection; server and connection errors become <see cref="PostgresStoreException"/>.</summary>
    internal T Run<T>(Func<NpgsqlConnection, T> action)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            using var connection = _source.OpenConnection();
            return action(connection);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            throw new PostgresStoreException(Location, Explain(ex), ex);
        }
    }

    /// <summary>Every row <paramref name="query"/> selects, read by <paramref name="row"/>.</summary>
    internal List<T> Select<T>(StoreQuery query, Func<DbDataReader, T> row) => Run(connection =>
    {
        using var command = new NpgsqlCommand(query.Sql, connection);
        return query.Read(command, row);
    });

    /// <summary>The exception for a row of this database that cannot be read (the store is damaged).</summary>
    internal Exception Damaged(string problem, Exception? cause) => new PostgresStoreException(Location, problem, cause);

    internal static string Explain(Exception ex) => ex switch
    {
        PostgresException pg => $"PostgreSQL error {pg.SqlState}: {pg.MessageText}",
        NpgsqlException { InnerException: SocketException socket } => $"cannot reach the server ({socket.SocketErrorCode}: {socket.Message})",
        NpgsqlException { InnerException: TimeoutException } => "the server did not answer in time",
        _ => ex.Message,
    };
}
