namespace CanarySim.Core.Rollback;

/// <summary>A <see cref="ILeaderLock"/> for an instance that runs alone: always granted.</summary>
public sealed class LocalLeaderLock(string name) : ILeaderLock
{
    private volatile bool _held;

    /// <inheritdoc />
    public string Name { get; } = name ?? throw new ArgumentNullException(nameof(name));

    /// <inheritdoc />
    public bool IsHeld => _held;

    /// <inheritdoc />
    public bool TryAcquire() => _held = true;

    /// <inheritdoc />
    public void Release() => _held = false;

    /// <inheritdoc />
    public void Dispose() => _held = false;
}
