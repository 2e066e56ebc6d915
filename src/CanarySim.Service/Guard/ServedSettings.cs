using CanarySim.Core.Rollback;
using CanarySim.Service.Api;
using CanarySim.Core.Routing;

namespace CanarySim.Service.Guard;

/// <summary>
/// What the router serves: the stored settings this instance holds (<c>stored</c>), except while the
/// store's watcher has been cut off for longer than the staleness limit — then, with
/// <see cref="StaleSettingsMode.FailSafe"/>, the same settings with the kill switch on (everything to v1),
/// and with <see cref="StaleSettingsMode.LastKnown"/> the last known settings unchanged. Checked whenever
/// the stored copy changes and on a timer of the <see cref="TimeProvider"/>; once the watcher is back
/// (and has re-read the store), the stored settings are served again.
/// </summary>
internal sealed class ServedSettings : IDisposable
{
    private readonly LiveSettings _stored;
    private readonly ISettingsWatcher _watcher;
    private readonly TimeSpan _staleness;
    private readonly StaleSettingsMode _mode;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private bool _failSafe;

    public ServedSettings(LiveSettings stored, ISettingsWatcher watcher, TimeSpan staleness, StaleSettingsMode mode, TimeProvider time, ILogger log)
    {
        _stored = stored;
        _watcher = watcher;
        _staleness = staleness;
        _mode = mode;
        _time = time;
        _log = log;
        Live = new LiveSettings(stored.Current);
        _stored.Changed += OnStoredChanged;
        var check = TimeSpan.FromTicks(Math.Clamp(staleness.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _timer = time.CreateTimer(_ => Update(), null, check, check);
    }

    /// <summary>The settings the router reads.</summary>
    public LiveSettings Live { get; }

    /// <summary>True while the kill switch is forced on because the store has not been seen for longer than the staleness limit.</summary>
    public bool FailSafe
    {
        get { lock (_lock) { return _failSafe; } }
    }

    /// <summary>The watcher's state as <c>/guard/health</c> shows it.</summary>
    public StoreHealthView Health()
    {
        var health = _watcher.Health;
        var stale = IsStale(health);
        return new StoreHealthView(health.Connected, health.DisconnectedSince, stale,
            !stale ? "stored" : _mode == StaleSettingsMode.FailSafe ? "fail_safe" : "last_known");
    }

    /// <summary>Recomputes what the router serves from the stored copy and the watcher's health.</summary>
    public void Update()
    {
        bool changed;
        bool failSafe;
        lock (_lock)
        {
            var stored = _stored.Current;
            failSafe = _mode == StaleSettingsMode.FailSafe && IsStale(_watcher.Health);
            var served = failSafe && !stored.KillSwitch ? stored with { KillSwitch = true } : stored;
            if (!served.Equals(Live.Current))
            {
                Live.Set(served);
            }
            changed = failSafe != _failSafe;
            _failSafe = failSafe;
        }
        if (changed && failSafe)
        {
            _log.LogError("settings store out of sight for longer than {Staleness}: serving v1 only (fail safe) until it is back", _staleness);
        }
        else if (changed)
        {
            _log.LogWarning("settings store back: serving the stored settings again");
        }
    }

    public void Dispose()
    {
        _stored.Changed -= OnStoredChanged;
        _timer.Dispose();
    }

    private void OnStoredChanged(RouterSettings before, RouterSettings after) => Update();

    private bool IsStale(SettingsStoreHealth health) =>
        !health.Connected && health.DisconnectedSince is { } since && _time.GetUtcNow() - since >= _staleness;
}
