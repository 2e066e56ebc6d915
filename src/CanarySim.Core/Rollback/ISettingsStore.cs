using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollback;

/// <summary>
/// Persists the router settings and their full history. Implementations: in-memory (tests,
/// simulations) and SQLite (<c>CanarySim.Storage.Sqlite</c>, the embedded default).
/// </summary>
public interface ISettingsStore
{
    /// <summary>The current settings (the <see cref="SettingsChange.After"/> of the last change, or the default).</summary>
    RouterSettings Current { get; }

    /// <summary>Durably records a change and makes its <see cref="SettingsChange.After"/> current; returns it with its sequence number.</summary>
    SettingsChange Append(SettingsChange change);

    /// <summary>The history, oldest first; at most <paramref name="limit"/> most recent entries when given.</summary>
    IReadOnlyList<SettingsChange> History(int? limit = null);
}
