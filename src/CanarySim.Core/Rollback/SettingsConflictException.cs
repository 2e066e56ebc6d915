namespace CanarySim.Core.Rollback;

/// <summary>
/// A compare-and-set on the settings named a version that is no longer the stored one: another
/// change (possibly from another instance) came first. Nothing was written; <see cref="Current"/>
/// is what is stored now.
/// </summary>
public sealed class SettingsConflictException : Exception
{
    /// <summary>Creates the exception for a change that expected <paramref name="expected"/> while <paramref name="current"/> is stored.</summary>
    public SettingsConflictException(long expected, VersionedSettings current)
        : base($"the settings changed: the change expected version {expected} but version {current?.Version} is stored; re-read and retry")
    {
        Expected = expected;
        Current = current ?? throw new ArgumentNullException(nameof(current));
    }

    /// <summary>The version the refused change was based on.</summary>
    public long Expected { get; }

    /// <summary>The settings stored now, with their version.</summary>
    public VersionedSettings Current { get; }
}
