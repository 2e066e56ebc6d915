using CanarySim.Core.Rollback;

namespace CanarySim.Storage.Sqlite;

/// <summary>
/// A <see cref="ILeaderLock"/> for instances sharing one SQLite file: an exclusive lock (flock) on a
/// file beside the database, held while the lock file is open. The operating system frees it when the
/// holder's process ends, however it ends, so another instance takes over at its next <see cref="TryAcquire"/>.
/// </summary>
public sealed class FileLeaderLock : ILeaderLock
{
    private readonly Lock _lock = new();
    private FileStream? _file;

    /// <summary>A lock named <paramref name="name"/> on the file <paramref name="path"/> (created when missing, never deleted).</summary>
    public FileLeaderLock(string name, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Name = name;
        Path = path;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public bool IsHeld
    {
        get { lock (_lock) { return _file is not null; } }
    }

    /// <inheritdoc />
    public bool TryAcquire()
    {
        lock (_lock)
        {
            if (_file is not null)
            {
                return true;
            }
            try
            {
                // FileShare.None takes an exclusive flock on Unix (and a share lock on Windows), across processes
                _file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return true;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <inheritdoc />
    public void Release()
    {
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Release();
}
