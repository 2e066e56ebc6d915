namespace CanarySim.Core.Routing;

/// <summary>
/// Default bucketing: murmur3 x86_32 (seed 0) of UTF-8 <c>salt + ":" + key</c>, taken
/// modulo 10 000 (basis points, 0.01 % granularity); in canary iff bucket &lt; pct × 100, so a key
/// in at p % stays in at every q &gt; p.
/// </summary>
public sealed class CanarySimBucketing : IBucketing
{
    /// <summary>Number of buckets (basis points).</summary>
    public const int Buckets = 10_000;

    /// <summary>The shared instance.</summary>
    public static CanarySimBucketing Instance { get; } = new();

    private CanarySimBucketing()
    {
    }

    /// <inheritdoc />
    public BucketingAlgorithm Algorithm => BucketingAlgorithm.CanarySim;

    /// <inheritdoc />
    public BucketingSalt Prepare(string salt) => new(salt, salt + ":", "");

    /// <inheritdoc />
    public double Bucket(BucketingSalt salt, ReadOnlySpan<char> key) => BasisPoints(salt, key);

    /// <summary>The key's bucket as an integer 0–9 999.</summary>
    public static int BasisPoints(BucketingSalt salt, ReadOnlySpan<char> key) =>
        (int)(SaltedKeyHasher.Hash(salt, key, SaltedKeyHasher.Kind.Murmur3, default) % Buckets);

    /// <inheritdoc />
    public bool IsInRollout(double bucket, double pct) => bucket < pct * 100.0;
}
