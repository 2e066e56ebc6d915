namespace CanarySim.Core.Rollback;

/// <summary>
/// A named lock that at most one instance of a fleet holds at a time, for jobs that must run once
/// (the detector's evaluation, a live plan's driver). The holder keeps it until it releases it or
/// its process or connection dies; the others keep asking with <see cref="TryAcquire"/>.
/// Implementations: <see cref="LocalLeaderLock"/> (one process alone) and the PostgreSQL store's
/// advisory lock.
/// </summary>
public interface ILeaderLock : IDisposable
{
    /// <summary>What the lock guards (for logs and status).</summary>
    string Name { get; }

    /// <summary>Whether this instance held the lock at the last <see cref="TryAcquire"/>.</summary>
    bool IsHeld { get; }

    /// <summary>
    /// Takes the lock when no other instance holds it; true when this instance holds it afterwards (now
    /// or already). Never waits for another holder. When the store cannot be reached it returns false
    /// (a holder that cannot confirm its lock no longer acts as the holder).
    /// </summary>
    bool TryAcquire();

    /// <summary>Gives the lock up (no-op when not held).</summary>
    void Release();
}
