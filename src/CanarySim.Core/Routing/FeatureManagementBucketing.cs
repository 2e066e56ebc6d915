using System.Buffers.Binary;

namespace CanarySim.Core.Routing;

/// <summary>
/// Microsoft.FeatureManagement's targeting percentage (TargetingEvaluator): SHA-256 of UTF-8
/// <c>"{userId}\n{featureName}"</c>, first 4 bytes as a little-endian uint, / uint.MaxValue × 100;
/// targeted iff that percentage &lt; rollout, and everyone at exactly 100 (its edge case).
/// The salt plays the feature name, the key the user id.
/// </summary>
public sealed class FeatureManagementBucketing : IBucketing
{
    /// <summary>The shared instance.</summary>
    public static FeatureManagementBucketing Instance { get; } = new();

    private FeatureManagementBucketing()
    {
    }

    /// <inheritdoc />
    public BucketingAlgorithm Algorithm => BucketingAlgorithm.FeatureManagement;

    /// <inheritdoc />
    public BucketingSalt Prepare(string salt) => new(salt, "", "\n" + salt);

    /// <inheritdoc />
    public double Bucket(BucketingSalt salt, ReadOnlySpan<char> key)
    {
        Span<byte> head = stackalloc byte[8];
        SaltedKeyHasher.Hash(salt, key, SaltedKeyHasher.Kind.Sha256, head);
        var marker = BinaryPrimitives.ReadUInt32LittleEndian(head);
        return marker / (double)uint.MaxValue * 100;
    }

    /// <inheritdoc />
    public bool IsInRollout(double bucket, double pct) => pct >= 100 || bucket < pct;
}
