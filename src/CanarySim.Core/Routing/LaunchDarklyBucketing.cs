using System.Buffers.Binary;

namespace CanarySim.Core.Routing;

/// <summary>
/// LaunchDarkly's percentage-rollout bucket (server SDK evaluation, no seed): the first 15 hex
/// digits of SHA-1 of UTF-8 <c>"{flagKey}.{flagSalt}.{key}"</c> as an integer, /
/// 0xFFFFFFFFFFFFFFF; in the rollout iff bucket &lt; pct / 100, or pct is 100. The salt plays <c>{flagKey}.{flagSalt}</c>.
/// </summary>
public sealed class LaunchDarklyBucketing : IBucketing
{
    private const long Scale = 0xFFFFFFFFFFFFFFF;

    /// <summary>The shared instance.</summary>
    public static LaunchDarklyBucketing Instance { get; } = new();

    private LaunchDarklyBucketing()
    {
    }

    /// <inheritdoc />
    public BucketingAlgorithm Algorithm => BucketingAlgorithm.LaunchDarkly;

    /// <inheritdoc />
    public BucketingSalt Prepare(string salt) => new(salt, salt + ".", "");

    /// <inheritdoc />
    public double Bucket(BucketingSalt salt, ReadOnlySpan<char> key)
    {
        Span<byte> head = stackalloc byte[8];
        SaltedKeyHasher.Hash(salt, key, SaltedKeyHasher.Kind.Sha1, head);
        // 15 hex digits = the first 60 bits of the digest, big-endian.
        var value = (long)(BinaryPrimitives.ReadUInt64BigEndian(head) >> 4);
        // The SDKs divide in single precision (Go float32, Java/.NET float): keep that rounding.
        return (float)value / (float)Scale;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The single-precision division rounds the top hash values up to exactly 1.0, which no
    /// <c>bucket &lt; 1</c> admits; the SDKs serve such a key the last variation, so 100 % includes every bucket.
    /// </remarks>
    public bool IsInRollout(double bucket, double pct) => pct >= 100 || bucket < pct / 100.0;
}
