namespace CanarySim.Core.Rollback;

/// <summary>What a <see cref="ISettingsWatcher"/> knows about its connection to the store.</summary>
/// <param name="Connected">True while changes are seen as they happen.</param>
/// <param name="DisconnectedSince">When the connection was lost (null while connected).</param>
/// <param name="Error">The last connection error, while disconnected.</param>
public sealed record SettingsStoreHealth(bool Connected, DateTimeOffset? DisconnectedSince, string? Error)
{
    /// <summary>Connected, no error.</summary>
    public static SettingsStoreHealth Ok { get; } = new(true, null, null);
}
