using System.Globalization;
using System.Net.Sockets;
using CanarySim.Core.Rollback;
using Npgsql;

namespace CanarySim.Storage.Postgres;

/// <summary>
/// Hears every settings change in a <see cref="PostgresStore"/>, by any instance, as it commits: it
/// LISTENs on its own connection and, on each notification, reads the current settings and raises
/// <see cref="Changed"/> when their version moved. On (re)connecting it reads the current settings too,
/// so a change made while it was cut off is never missed. A dropped connection marks it disconnected
/// (<see cref="Health"/>, with the time it was lost) and it reconnects with exponential backoff between
/// <see cref="PostgresStoreOptions.ReconnectMinDelay"/> and <see cref="PostgresStoreOptions.ReconnectMaxDelay"/>;
/// when no notification came for <see cref="PostgresStoreOptions.Heartbeat"/> it checks the connection with a
/// query. Reconnect waits run on the store's <see cref="TimeProvider"/>.
/// </summary>
public sealed class PostgresSettingsWatcher : ISettingsWatcher
{
    private readonly PostgresStore _db;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private long _seenVersion = -1;
    private long _notifiedVersion = -1;
    private SettingsStoreHealth _health = new(false, null, "not started");
    private long _connects;

    internal PostgresSettingsWatcher(PostgresStore db) => _db = db;

    /// <inheritdoc />
    public event Action<VersionedSettings>? Changed;

    /// <inheritdoc />
    public event Action? SamplesAdded;

    /// <summary>Raised after every change of <see cref="Health"/> (connected, lost, back).</summary>
    public event Action<SettingsStoreHealth>? HealthChanged;

    /// <inheritdoc />
    public SettingsStoreHealth Health
    {
        get { lock (_lock) { return _health; } }
    }

    /// <summary>How many times the watcher has connected (1 after start; more after reconnects).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>The PostgreSQL backend process id of the LISTEN connection (0 while disconnected), e.g. to end it in a test.</summary>
    public int BackendProcessId { get; private set; }

    /// <summary>Starts listening and waits (at most 10 s) for the first connection attempt, so a service starts connected when it can.</summary>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            _loop ??= Task.Run(() => RunAsync(_stop.Token));
        }
        _firstAttempt.Task.Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>Stops listening and closes the connection.</summary>
    public void Dispose()
    {
        Task? loop;
        lock (_lock)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }
            _stop.Cancel();
            loop = _loop;
        }
        try
        {
            loop?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // the loop ends by cancellation
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var delay = _db.Options.ReconnectMinDelay;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or IOException or InvalidOperationException or PostgresStoreException or OperationCanceledException)
            {
                _firstAttempt.TrySetResult();
                var connectedBefore = Health.Connected;
                SetHealth(h => h.Connected
                    ? new SettingsStoreHealth(false, _db.Time.GetUtcNow(), PostgresStore.Explain(ex))
                    : h with { Error = PostgresStore.Explain(ex), DisconnectedSince = h.DisconnectedSince ?? _db.Time.GetUtcNow() });
                if (connectedBefore)
                {
                    delay = _db.Options.ReconnectMinDelay; // first retry soon after a loss
                }
            }
            try
            {
                await Task.Delay(delay, _db.Time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _db.Options.ReconnectMaxDelay.Ticks));
        }
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        var builder = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Pooling = false, ApplicationName = "canarysim-watcher" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Notification += (_, e) =>
        {
            if (e.Channel == PostgresSchema.SamplesChannel)
            {
                SamplesAdded?.Invoke();
            }
            else if (long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                Interlocked.Exchange(ref _notifiedVersion, Math.Max(Interlocked.Read(ref _notifiedVersion), version));
            }
        };
        await connection.OpenAsync(stop).ConfigureAwait(false);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresSchema.SettingsChannel}; LISTEN {PostgresSchema.SamplesChannel};", connection))
        {
            await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
        }
        BackendProcessId = connection.ProcessID;
        Interlocked.Increment(ref _connects);
        // changes made while this instance was not listening
        var current = ReadCurrent(connection);
        SetHealth(_ => SettingsStoreHealth.Ok);
        Publish(current);
        _firstAttempt.TrySetResult();
        try
        {
            var heartbeat = (int)Math.Ceiling(_db.Options.Heartbeat.TotalMilliseconds);
            while (true)
            {
                // notifications also arrive while a query runs: catch up before waiting for the next one
                if (Interlocked.Read(ref _notifiedVersion) > Interlocked.Read(ref _seenVersion))
                {
                    Publish(ReadCurrent(connection));
                }
                // false: nothing for a heartbeat, and the query below proves the connection is alive
                if (!await connection.WaitAsync(heartbeat, stop).ConfigureAwait(false))
                {
                    await using var ping = new NpgsqlCommand("SELECT 1;", connection);
                    await ping.ExecuteScalarAsync(stop).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            BackendProcessId = 0;
        }
    }

    private static VersionedSettings ReadCurrent(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT sequence, settings_json FROM settings_current WHERE id = 1;", connection);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException("table settings_current has no row");
        }
        var sequence = reader.GetInt64(0);
        return new VersionedSettings(sequence, reader.IsDBNull(1) ? Core.Routing.RouterSettings.Default : Core.Routing.RouterSettingsJson.Deserialize(reader.GetString(1)));
    }

    private void Publish(VersionedSettings current)
    {
        lock (_lock)
        {
            if (current.Version == _seenVersion)
            {
                return;
            }
            _seenVersion = current.Version;
        }
        Changed?.Invoke(current);
    }

    private void SetHealth(Func<SettingsStoreHealth, SettingsStoreHealth> next)
    {
        SettingsStoreHealth now;
        lock (_lock)
        {
            var before = _health;
            _health = next(before);
            if (_health == before)
            {
                return;
            }
            now = _health;
        }
        HealthChanged?.Invoke(now);
    }
}
