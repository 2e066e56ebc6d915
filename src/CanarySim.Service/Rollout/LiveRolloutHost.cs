using CanarySim.Core.Rollback;
using CanarySim.Service.Guard;
using Microsoft.Extensions.Options;

namespace CanarySim.Service.Rollout;

/// <summary>
/// Holds the live rollout when the service runs a plan (<c>serve --plan</c>, <see cref="GuardServiceOptions.Plan"/>), and
/// nothing otherwise. The plan lock comes from the stores (<see cref="GuardStores.LeaderLock"/>: the PostgreSQL
/// store's advisory lock, or a lock file beside the SQLite database), so exactly one instance of a fleet drives the plan.
/// </summary>
public sealed class LiveRolloutHost : IDisposable
{
    /// <summary>The name of the lock that lets one instance of a fleet drive the plan.</summary>
    public const string LockName = "plan-driver";

    private readonly ILeaderLock? _lock;

    /// <summary>Creates the rollout of the configured plan, if any (the plan is checked: it must be able to run live).</summary>
    public LiveRolloutHost(IOptions<GuardServiceOptions> options, GuardRuntime runtime, GuardStores stores, TimeProvider time, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(logs);
        if (options.Value.Plan is not { } plan)
        {
            return;
        }
        _lock = stores.LeaderLock(LockName);
        Rollout = new LiveRollout(plan, runtime, new RolloutJournal(stores.Audit, stores.AuditReader),
            new RolloutArtifacts(stores.Audit, stores.AuditReader, time), _lock, time, logs.CreateLogger<LiveRollout>());
    }

    /// <summary>The live rollout, or null when no plan runs here.</summary>
    public LiveRollout? Rollout { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Rollout?.Dispose();
        _lock?.Dispose();
    }
}
