using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;

namespace CanarySim.Service.Guard;

/// <summary>
/// The stores one guard instance works on, opened once at start-up and registered in DI: the
/// versioned settings with their history, the audit log, the samples, and the watcher that reports
/// changes made by other instances. SQLite (<c>--db</c>) or PostgreSQL (<c>--store</c>).
/// </summary>
/// <param name="Settings">Versioned settings and history (compare-and-set).</param>
/// <param name="Audit">The audit log (append, batches, read back).</param>
/// <param name="AuditReader">Reads the audit log back.</param>
/// <param name="Samples">Metric samples.</param>
/// <param name="Watcher">Reports changes of the stored settings by any instance.</param>
/// <param name="Location">Where the data lives, for humans: a file path or <c>postgresql://host:port/database</c> (never a password).</param>
/// <param name="Owner">Closes the stores (connections, timers) on dispose.</param>
/// <param name="LeaderLock">
/// Makes the fleet-wide lock of a name (<c>evaluator</c>, a plan driver, …): at most one instance holds it
/// (PostgreSQL: an advisory lock; SQLite: a lock on a file beside the database). The caller disposes it.
/// </param>
public sealed record GuardStores(
    ISettingsStore Settings,
    IAuditSink Audit,
    IAuditReader AuditReader,
    IMetricsStore Samples,
    ISettingsWatcher Watcher,
    string Location,
    IDisposable Owner,
    Func<string, ILeaderLock> LeaderLock) : IDisposable
{
    /// <summary>Stops the watcher and closes the stores.</summary>
    public void Dispose()
    {
        Watcher.Dispose();
        Owner.Dispose();
    }
}
