using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollback;

/// <summary>An <see cref="ISettingsStore"/> in memory, for simulations and tests. Thread-safe; several controllers may share one (a fleet in one process).</summary>
public sealed class InMemorySettingsStore(RouterSettings? initial = null) : ISettingsStore
{
    private readonly Lock _lock = new();
    private readonly List<SettingsChange> _history = [];
    private VersionedSettings _current = new(0, initial ?? RouterSettings.Default);

    /// <inheritdoc />
    public VersionedSettings Current
    {
        get { lock (_lock) { return _current; } }
    }

    /// <inheritdoc />
    public SettingsChange? Commit(Func<VersionedSettings, SettingsChange?> decide, long? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(decide);
        lock (_lock)
        {
            var latest = _current;
            if (expectedVersion is { } expected && expected != latest.Version)
            {
                throw new SettingsConflictException(expected, latest);
            }
            if (decide(latest) is not { } change)
            {
                return null;
            }
            var stored = change with { Sequence = latest.Version + 1 };
            _history.Add(stored);
            _current = new VersionedSettings(stored.Sequence, stored.After);
            return stored;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<SettingsChange> History(int? limit = null)
    {
        lock (_lock)
        {
            var skip = limit is { } l && l < _history.Count ? _history.Count - Math.Max(l, 0) : 0;
            return _history.Skip(skip).ToList();
        }
    }
}
