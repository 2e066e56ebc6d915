namespace CanarySim.Core.Routing;

/// <summary>
/// The percentage-rollout hashing the router uses. Each non-default algorithm
/// reproduces a real system's published bucketing exactly, so a rehearsal predicts the very
/// cohorts that system would pick.
/// </summary>
public enum BucketingAlgorithm
{
    /// <summary><c>canarysim</c> (default): murmur3 x86_32 (seed 0) of UTF-8 <c>salt:key</c> modulo 10 000 basis points; in canary iff bucket &lt; pct×100.</summary>
    CanarySim,
    /// <summary><c>unleash</c>: Unleash flexibleRollout, <c>murmur3_x86_32("{groupId}:{id}", 0) % 100 + 1</c>, enabled iff ≤ rollout; the salt plays groupId.</summary>
    Unleash,
    /// <summary><c>featuremanagement</c>: Microsoft.FeatureManagement targeting, SHA-256 of <c>"{userId}\n{featureName}"</c>, first 4 bytes little-endian / uint.MaxValue × 100; the salt plays the feature name.</summary>
    FeatureManagement,
    /// <summary><c>launchdarkly</c>: LaunchDarkly rollout bucket, first 15 hex chars of SHA-1 of <c>"{flagKey}.{flagSalt}.{key}"</c> / 0xFFFFFFFFFFFFFFF; the salt plays <c>{flagKey}.{flagSalt}</c>.</summary>
    LaunchDarkly,
}

/// <summary>Wire names of <see cref="BucketingAlgorithm"/> and the matching <see cref="IBucketing"/>.</summary>
public static class BucketingAlgorithms
{
    /// <summary>Every algorithm's wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames { get; } = ["canarysim", "unleash", "featuremanagement", "launchdarkly"];

    /// <summary>Lower-case wire name.</summary>
    public static string ToWire(this BucketingAlgorithm algorithm) => algorithm switch
    {
        BucketingAlgorithm.CanarySim => "canarysim",
        BucketingAlgorithm.Unleash => "unleash",
        BucketingAlgorithm.FeatureManagement => "featuremanagement",
        BucketingAlgorithm.LaunchDarkly => "launchdarkly",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Parses a wire name (case-insensitive, surrounding blanks ignored).</summary>
    public static bool TryParse(string? text, out BucketingAlgorithm algorithm) => TryParse(text.AsSpan(), out algorithm);

    /// <summary>Parses a wire name (case-insensitive, surrounding blanks ignored) without allocating.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out BucketingAlgorithm algorithm)
    {
        text = text.Trim();
        if (text.Equals("canarysim", StringComparison.OrdinalIgnoreCase)) { algorithm = BucketingAlgorithm.CanarySim; return true; }
        if (text.Equals("unleash", StringComparison.OrdinalIgnoreCase)) { algorithm = BucketingAlgorithm.Unleash; return true; }
        if (text.Equals("featuremanagement", StringComparison.OrdinalIgnoreCase)) { algorithm = BucketingAlgorithm.FeatureManagement; return true; }
        if (text.Equals("launchdarkly", StringComparison.OrdinalIgnoreCase)) { algorithm = BucketingAlgorithm.LaunchDarkly; return true; }
        algorithm = default;
        return false;
    }

    /// <summary>The (stateless, shared) implementation of <paramref name="algorithm"/>.</summary>
    public static IBucketing Get(BucketingAlgorithm algorithm) => algorithm switch
    {
        BucketingAlgorithm.CanarySim => CanarySimBucketing.Instance,
        BucketingAlgorithm.Unleash => UnleashBucketing.Instance,
        BucketingAlgorithm.FeatureManagement => FeatureManagementBucketing.Instance,
        BucketingAlgorithm.LaunchDarkly => LaunchDarklyBucketing.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };
}
