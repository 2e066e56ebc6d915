using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CanarySim.Core.Rollback;
using Npgsql;

namespace CanarySim.Storage.Postgres;

/// <summary>
/// A fleet-wide <see cref="ILeaderLock"/>: a PostgreSQL session advisory lock (key derived from the
/// name) held on a connection of its own. At most one session holds it; the server releases it when
/// the holder's connection or process dies, so another instance takes over at its next
/// <see cref="TryAcquire"/>. Every <see cref="TryAcquire"/> by the holder checks that its connection
/// is alive, so a holder cut off from the server stops acting as the holder.
/// </summary>
public sealed class PostgresAdvisoryLock : ILeaderLock
{
    private readonly PostgresStore _db;
    private readonly Lock _lock = new();
    private NpgsqlConnection? _connection;
    private volatile bool _held;
    private bool _disposed;

    internal PostgresAdvisoryLock(PostgresStore db, string name)
    {
        _db = db ?? throw new ArgumentNullException(nameof(db));
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Key = KeyOf(name);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The advisory lock key: the first 8 bytes of SHA-256 of <c>canarysim:</c> + the name (visible in <c>pg_locks</c> as classid/objid).</summary>
    public long Key { get; }

    /// <summary>The last connection error, while the lock could not be checked or taken.</summary>
    public string? LastError { get; private set; }

    /// <inheritdoc />
    public bool IsHeld => _held;

    /// <summary>The key for <paramref name="name"/> (the same in every instance and build).</summary>
    public static long KeyOf(string name) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("canarysim:" + name)));

    /// <inheritdoc />
    public bool TryAcquire()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                if (_connection is null)
                {
                    // its own session: pooling off, so closing the connection really ends the session and frees the lock
                    var builder = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Pooling = false, ApplicationName = "canarysim-lock" };
                    _connection = new NpgsqlConnection(builder.ConnectionString);
                    _connection.Open();
                }
                using var command = new NpgsqlCommand(_held ? "SELECT true;" : "SELECT pg_try_advisory_lock(@key);", _connection);
                command.Parameters.AddWithValue("key", Key);
                _held = (bool)command.ExecuteScalar()!;
                LastError = null;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
            {
                // the session (and with it the lock, if held) is gone: start over with a new connection next time
                LastError = PostgresStore.Explain(ex);
                _held = false;
                _connection?.Dispose();
                _connection = null;
            }
            return _held;
        }
    }

    /// <inheritdoc />
    public void Release()
    {
        lock (_lock)
        {
            if (!_held || _connection is null)
            {
                return;
            }
            _held = false;
            try
            {
                using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key);", _connection);
                command.Parameters.AddWithValue("key", Key);
                command.ExecuteScalar();
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
            {
                _connection.Dispose();
                _connection = null;
            }
        }
    }

    /// <summary>Releases the lock (at once, so another instance can take it as soon as this returns) and closes its connection.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            Release();
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
    }
}
