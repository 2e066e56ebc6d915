namespace CanarySim.Core.Routing;

/// <summary>
/// Unleash's flexibleRollout / gradualRollout normalisation (client-specification):
/// <c>murmur3_x86_32("{groupId}:{id}", seed 0) % 100 + 1</c> (hash read as unsigned 32-bit, as the
/// Node and Go clients do), enabled iff the value ≤ rollout. The salt plays the groupId.
/// </summary>
public sealed class UnleashBucketing : IBucketing
{
    /// <summary>The shared instance.</summary>
    public static UnleashBucketing Instance { get; } = new();

    private UnleashBucketing()
    {
    }

    /// <inheritdoc />
    public BucketingAlgorithm Algorithm => BucketingAlgorithm.Unleash;

    /// <inheritdoc />
    public BucketingSalt Prepare(string salt) => new(salt, salt + ":", "");

    /// <inheritdoc />
    public double Bucket(BucketingSalt salt, ReadOnlySpan<char> key) =>
        (SaltedKeyHasher.Hash(salt, key, SaltedKeyHasher.Kind.Murmur3, default) % 100) + 1;

    /// <inheritdoc />
    public bool IsInRollout(double bucket, double pct) => bucket <= pct;
}
