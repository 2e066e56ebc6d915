namespace CanarySim.Storage.Postgres;

/// <summary>
/// The PostgreSQL store cannot be used: the server cannot be reached or refused the login, the
/// database holds another application's tables or a schema written by a newer CanarySim, or a
/// statement failed. A database refused on open is left untouched.
/// </summary>
public sealed class PostgresStoreException : Exception
{
    /// <summary>Creates the exception for the store at <paramref name="location"/> with what is wrong.</summary>
    public PostgresStoreException(string location, string problem, Exception? innerException = null)
        : base($"CanarySim store '{location}': {problem}", innerException)
    {
        Location = location;
        Problem = problem;
    }

    /// <summary>Where the store is: <c>postgresql://host:port/database</c> (never a password).</summary>
    public string Location { get; }

    /// <summary>What is wrong, in words (without the location).</summary>
    public string Problem { get; }
}
