using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollback;

/// <summary>An <see cref="ISettingsStore"/> in memory, for simulations and tests. Thread-safe.</summary>
public sealed class InMemorySettingsStore(RouterSettings? initial = null) : ISettingsStore
{
    private readonly Lock _gate = new();
    private readonly List<SettingsChange> _history = [];
    private RouterSettings _current = initial ?? RouterSettings.Default;

    /// <inheritdoc />
    public RouterSettings Current
    {
        get { lock (_gate) { return _current; } }
    }

    /// <inheritdoc />
    public SettingsChange Append(SettingsChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var stored = change with { Sequence = _history.Count + 1 };
            _history.Add(stored);
            _current = stored.After;
            return stored;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<SettingsChange> History(int? limit = null)
    {
        lock (_gate)
        {
            var skip = limit is { } l && l < _history.Count ? _history.Count - l : 0;
            return _history.Skip(skip).ToList();
        }
    }
}
