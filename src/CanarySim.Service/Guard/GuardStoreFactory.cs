using CanarySim.Storage.Postgres;
using CanarySim.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Guard;

/// <summary>Opens the stores named by the options: the SQLite file (<c>--db</c>) unless a PostgreSQL store (<c>--store</c>) is given.</summary>
internal static class GuardStoreFactory
{
    /// <summary>Opens the stores; a store that cannot be used stops the start-up with <see cref="GuardServiceConfigurationException"/>.</summary>
    public static GuardStores Open(IOptions<GuardServiceOptions> options, TimeProvider time)
    {
        var o = options.Value;
        return o.Store is { Length: > 0 } ? OpenPostgres(o.Store, time) : OpenSqlite(o, time);
    }

    private static GuardStores OpenPostgres(string connectionString, TimeProvider time)
    {
        PostgresStore store;
        try
        {
            store = PostgresStore.Open(connectionString, time);
        }
        catch (PostgresStoreException ex)
        {
            throw new GuardServiceConfigurationException($"--store: {ex.Message}");
        }
        return new GuardStores(store.Settings, store.Audit, store.Audit, store.Samples, store.CreateWatcher(), store.Location, store, store.CreateLeaderLock);
    }

    private static GuardStores OpenSqlite(GuardServiceOptions o, TimeProvider time)
    {
        SqliteStore store;
        try
        {
            store = SqliteStore.Open(o.DatabasePath, time);
        }
        catch (CanarySimStoreException ex)
        {
            throw new GuardServiceConfigurationException(ex.Message);
        }
        return new GuardStores(store.Settings, store.Audit, store.Audit, store.Samples,
            new SqliteSettingsWatcher(store, o.SettingsPollInterval), store.Path, store, store.CreateLeaderLock);
    }
}
