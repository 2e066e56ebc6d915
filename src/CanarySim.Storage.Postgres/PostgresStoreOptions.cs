using System.ComponentModel.DataAnnotations;

namespace CanarySim.Storage.Postgres;

/// <summary>How a <see cref="PostgresStore"/> and its settings watcher talk to the server.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>First wait before the watcher reconnects after losing its connection; doubled after every failed try. The default value is 100 milliseconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between two reconnect tries. The default value is 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the watcher waits for a notification before it checks the connection with a query, so a
    /// silently dead connection is noticed. The default value is 2 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The default options.</summary>
    public static PostgresStoreOptions Default { get; } = new();
}
