using System.Text.Json.Serialization;

namespace CanarySim.Core.Routing;

/// <summary>
/// The percentage-rollout hashing the router uses. Each non-default algorithm
/// reproduces a real system's published bucketing exactly, so a rehearsal predicts the very
/// cohorts that system would pick.
/// </summary>
public enum BucketingAlgorithm
{
    /// <summary><c>canarysim</c> (default): murmur3 x86_32 (seed 0) of UTF-8 <c>salt:key</c> modulo 10 000 basis points; in canary iff bucket &lt; pct×100.</summary>
    [JsonStringEnumMemberName("canarysim")]
    CanarySim,
    /// <summary><c>unleash</c>: Unleash flexibleRollout, <c>murmur3_x86_32("{groupId}:{id}", 0) % 100 + 1</c>, enabled iff ≤ rollout; the salt plays groupId.</summary>
    [JsonStringEnumMemberName("unleash")]
    Unleash,
    /// <summary><c>featuremanagement</c>: Microsoft.FeatureManagement targeting, SHA-256 of <c>"{userId}\n{featureName}"</c>, first 4 bytes little-endian / uint.MaxValue × 100; the salt plays the feature name.</summary>
    [JsonStringEnumMemberName("featuremanagement")]
    FeatureManagement,
    /// <summary><c>launchdarkly</c>: LaunchDarkly rollout bucket, first 15 hex chars of SHA-1 of <c>"{flagKey}.{flagSalt}.{key}"</c> / 0xFFFFFFFFFFFFFFF; the salt plays <c>{flagKey}.{flagSalt}</c>.</summary>
    [JsonStringEnumMemberName("launchdarkly")]
    LaunchDarkly,
}

/// <summary>The <see cref="IBucketing"/> of each <see cref="BucketingAlgorithm"/>.</summary>
public static class BucketingAlgorithms
{
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
