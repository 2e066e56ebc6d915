namespace CanarySim.Core.Routing;

/// <summary>
/// A deterministic percentage-rollout hash: maps (salt, key) to a bucket, and decides whether a
/// bucket is inside a rollout percentage. Implementations are stateless and thread-safe, and
/// must not allocate per call (the router's hot path).
/// </summary>
public interface IBucketing
{
    /// <summary>Which algorithm this is.</summary>
    BucketingAlgorithm Algorithm { get; }

    /// <summary>
    /// Precomputes the salt's bytes once per settings snapshot (the router caches the result), so
    /// a decision only encodes the key.
    /// </summary>
    BucketingSalt Prepare(string salt);

    /// <summary>
    /// The key's bucket in this algorithm's own unit: basis points 0–9 999 (<c>canarysim</c>),
    /// 1–100 (<c>unleash</c>), a percentage in [0, 100] (<c>featuremanagement</c>), a fraction in
    /// [0, 1] (<c>launchdarkly</c>).
    /// </summary>
    double Bucket(BucketingSalt salt, ReadOnlySpan<char> key);

    /// <summary>Whether <paramref name="bucket"/> is in a rollout of <paramref name="pct"/> percent (0–100). Monotonic in <paramref name="pct"/>.</summary>
    bool IsInRollout(double bucket, double pct);
}
