namespace CanarySim.Storage.Sqlite;

/// <summary>
/// The store file cannot be used: it is not a SQLite database, is damaged or truncated, belongs to
/// another application, was written by a newer CanarySim, or could not be written. The file is
/// left untouched when it is refused on open.
/// </summary>
public sealed class CanarySimStoreException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> with what is wrong with it.</summary>
    public CanarySimStoreException(string path, string problem, Exception? innerException = null)
        : base($"CanarySim store '{path}': {problem}", innerException)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>What is wrong, in words (without the path).</summary>
    public string Problem { get; }
}
