namespace CanarySim.Harness.Sweeps;

/// <summary>Shard outputs that cannot be merged into one sweep; <see cref="Problems"/> says every reason.</summary>
public sealed class SweepMergeException(IReadOnlyList<string> problems)
    : Exception("cannot merge: " + string.Join("; ", problems))
{
    /// <summary>Each reason, naming the folder and the field.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
