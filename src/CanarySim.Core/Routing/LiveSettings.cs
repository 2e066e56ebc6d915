namespace CanarySim.Core.Routing;

/// <summary>
/// The router's current settings as one immutable snapshot, swapped atomically. The router reads
/// <see cref="Current"/> once per decision (never a torn mix of two configs); the rollback
/// controller and the guard API replace it. Shared by the router, rollback controller and service.
/// </summary>
public sealed class LiveSettings(RouterSettings initial)
{
    private RouterSettings _current = initial ?? throw new ArgumentNullException(nameof(initial));

    /// <summary>Creates live settings starting from <see cref="RouterSettings.Default"/>.</summary>
    public LiveSettings() : this(RouterSettings.Default)
    {
    }

    /// <summary>Raised after every swap with (before, after).</summary>
    public event Action<RouterSettings, RouterSettings>? Changed;

    /// <summary>The current snapshot (a single volatile read).</summary>
    public RouterSettings Current => Volatile.Read(ref _current);

    /// <summary>Replaces the snapshot; returns the one it replaced.</summary>
    public RouterSettings Set(RouterSettings next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var before = Interlocked.Exchange(ref _current, next);
        Changed?.Invoke(before, next);
        return before;
    }

    /// <summary>Atomically applies <paramref name="update"/> to the current snapshot (retrying on a concurrent swap); returns (before, after).</summary>
    public (RouterSettings Before, RouterSettings After) Update(Func<RouterSettings, RouterSettings> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        while (true)
        {
            var before = Volatile.Read(ref _current);
            var after = update(before);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, after, before), before))
            {
                Changed?.Invoke(before, after);
                return (before, after);
            }
        }
    }
}
