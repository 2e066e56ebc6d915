using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace CanarySim.Core.Tests.Routing;

/// <summary>Each bucketing algorithm against vectors published by the system it reproduces.</summary>
public sealed class BucketingVectorTests
{
    // Source: SMHasher's MurmurHash3_x86_32 verification values, as collected in the answer to
    // https://stackoverflow.com/questions/14747343/murmurhash3-test-vectors (also used by Boost.Hash2's murmur3 tests).
    [TestCase("", 0u, 0x00000000u)]
    [TestCase("", 1u, 0x514E28B7u)]
    [TestCase("", 0xFFFFFFFFu, 0x81F16F39u)]
    [TestCase("FFFFFFFF", 0u, 0x76293B50u)]
    [TestCase("21436587", 0u, 0xF55B516Bu)]
    [TestCase("21436587", 0x5082EDEEu, 0x2362F9DEu)]
    [TestCase("214365", 0u, 0x7E4A8634u)]
    [TestCase("2143", 0u, 0xA0F7B07Au)]
    [TestCase("21", 0u, 0x72661CF4u)]
    [TestCase("00000000", 0u, 0x2362F9DEu)]
    [TestCase("000000", 0u, 0x85F0B427u)]
    [TestCase("0000", 0u, 0x30F4C306u)]
    [TestCase("00", 0u, 0x514E28B7u)]
    public void Murmur3_x86_32_matches_the_published_vectors(string hex, uint seed, uint expected)
    {
        Assert.That(MurmurHash3.Hash32(Convert.FromHexString(hex), seed), Is.EqualTo(expected));
    }

    // Source: SMHasher VerificationTest (src/KeysetTest.cpp): keys {0}, {0,1}, … hashed with seed 256-N,
    // the concatenated hashes hashed with seed 0; MurmurHash3_x86_32's published verification value is 0xB0F57EE3.
    [Test]
    public void Murmur3_x86_32_passes_the_SMHasher_verification_test()
    {
        var key = new byte[256];
        var hashes = new byte[256 * 4];
        for (var i = 0; i < 256; i++)
        {
            key[i] = (byte)i;
            BitConverter.TryWriteBytes(hashes.AsSpan(i * 4), MurmurHash3.Hash32(key.AsSpan(0, i), (uint)(256 - i)));
        }
        Assert.That(MurmurHash3.Hash32(hashes, 0), Is.EqualTo(0xB0F57EE3u));
    }

    // Source: Unleash/unleash-client-java src/test/java/io/getunleash/strategy/StrategyUtilsTest.java,
    // normalized_values_are_the_same_across_node_java_and_go_clients: getNormalizedNumber("123", "gr1") == 73,
    // getNormalizedNumber("999", "groupX") == 25.
    [TestCase("gr1", "123", 73)]
    [TestCase("groupX", "999", 25)]
    public void Unleash_normalized_value_matches_the_client_suite(string groupId, string userId, int expected)
    {
        var unleash = UnleashBucketing.Instance;
        var bucket = unleash.Bucket(unleash.Prepare(groupId), userId);
        Assert.Multiple(() =>
        {
            Assert.That(bucket, Is.EqualTo(expected));
            Assert.That(unleash.IsInRollout(bucket, expected), Is.True, "enabled iff normalized value <= rollout");
            Assert.That(unleash.IsInRollout(bucket, expected - 1), Is.False);
        });
    }

    // Source: launchdarkly/dotnet-server-sdk test/LaunchDarkly.ServerSdk.Tests/Model/BucketingTest.cs
    // (TestBucketUserByKey; the same values are in the Ruby SDK's spec/impl/evaluator_bucketing_spec.rb):
    // BucketUser(userKeyA|B|C, flagKey "hashKey", attr "key", salt "saltyA") = 0.42157587, 0.6708485, 0.10343106.
    [TestCase("userKeyA", 0.42157587)]
    [TestCase("userKeyB", 0.6708485)]
    [TestCase("userKeyC", 0.10343106)]
    public void LaunchDarkly_bucket_matches_the_sdk_suite(string key, double expected)
    {
        var ld = LaunchDarklyBucketing.Instance;
        var bucket = ld.Bucket(ld.Prepare("hashKey.saltyA"), key);
        Assert.Multiple(() =>
        {
            Assert.That(bucket, Is.EqualTo(expected).Within(1e-7));
            Assert.That(ld.IsInRollout(bucket, (expected * 100) + 0.001), Is.True);
            Assert.That(ld.IsInRollout(bucket, (expected * 100) - 0.001), Is.False);
        });
    }

    // Cross-check of the default algorithm: canarysim and Unleash hash the same "salt:key" bytes with
    // murmur3 seed 0, so canarysim's basis points modulo 100 must equal Unleash's value minus one
    // (vectors from the Unleash suite above).
    [TestCase("gr1", "123", 72)]
    [TestCase("groupX", "999", 24)]
    public void CanarySim_bucket_agrees_with_the_unleash_vectors_modulo_100(string salt, string key, int expectedMod100)
    {
        var bucket = CanarySimBucketing.BasisPoints(CanarySimBucketing.Instance.Prepare(salt), key);
        Assert.Multiple(() =>
        {
            Assert.That(bucket % 100, Is.EqualTo(expectedMod100));
            Assert.That(bucket, Is.InRange(0, 9999));
        });
    }

    // SPEC §1: the bucket is murmur3(salt + ":" + key) onto 0-9 999; checked against the hash of the literal bytes.
    [TestCase("canarysim", "session-42")]
    [TestCase("phase8", "ünïcødé-key-✓")]
    public void CanarySim_bucket_is_murmur3_of_salt_colon_key_modulo_10000(string salt, string key)
    {
        var expected = (int)(MurmurHash3.Hash32(Encoding.UTF8.GetBytes(salt + ":" + key)) % 10_000);
        Assert.That(CanarySimBucketing.BasisPoints(CanarySimBucketing.Instance.Prepare(salt), key), Is.EqualTo(expected));
    }

    [Test]
    public void Long_keys_beyond_the_stack_buffer_hash_the_same_bytes()
    {
        var key = new string('k', 5000) + "é";
        var expected = (int)(MurmurHash3.Hash32(Encoding.UTF8.GetBytes("s:" + key)) % 10_000);
        Assert.That(CanarySimBucketing.BasisPoints(CanarySimBucketing.Instance.Prepare("s"), key), Is.EqualTo(expected));
    }

    // The featuremanagement algorithm against the real Microsoft.FeatureManagement 4.7.0 package:
    // ContextualTargetingFilter.EvaluateAsync with a default rollout percentage is its public targeting decision.
    [TestCase("Beta", 10.0)]
    [TestCase("Beta", 37.5)]
    [TestCase("planner-v2", 50.0)]
    [TestCase("planner-v2", 99.99)]
    [TestCase("planner-v2", 100.0)]
    [TestCase("planner-v2", 0.0)]
    public async Task FeatureManagement_matches_the_real_package_for_many_users(string featureName, double pct)
    {
        var filter = new ContextualTargetingFilter(Options.Create(new TargetingEvaluationOptions()), NullLoggerFactory.Instance);
        var context = new FeatureFilterEvaluationContext
        {
            FeatureName = featureName,
            Settings = new TargetingFilterSettings { Audience = new Audience { DefaultRolloutPercentage = pct } },
        };
        var ours = FeatureManagementBucketing.Instance;
        var salt = ours.Prepare(featureName);
        var random = new Random(20260219);
        var mismatches = new List<string>();
        var targeted = 0;
        for (var i = 0; i < 2000; i++)
        {
            var user = i % 4 == 0 ? $"user-{i}@contoso.com" : $"{random.Next():x8}-{random.Next():x8}-{random.Next()}";
            var expected = await filter.EvaluateAsync(context, new TargetingContext { UserId = user });
            var actual = ours.IsInRollout(ours.Bucket(salt, user), pct);
            targeted += expected ? 1 : 0;
            if (expected != actual)
            {
                mismatches.Add(user);
            }
        }
        Assert.That(mismatches, Is.Empty, $"{targeted} of 2000 targeted by the package");
    }

    // featuremanagement hashes the key followed by "\n" + feature name: with a long feature name and keys whose
    // UTF-8 bytes sit on either side of the 512-byte stack buffer, the whole input must still be hashed.
    [Test]
    public async Task FeatureManagement_matches_the_real_package_when_name_and_key_straddle_the_stack_buffer()
    {
        var featureName = "planner-v2-" + new string('f', 289); // "\n" + name: 301 bytes after the key
        var filter = new ContextualTargetingFilter(Options.Create(new TargetingEvaluationOptions()), NullLoggerFactory.Instance);
        var context = new FeatureFilterEvaluationContext
        {
            FeatureName = featureName,
            Settings = new TargetingFilterSettings { Audience = new Audience { DefaultRolloutPercentage = 50 } },
        };
        var ours = FeatureManagementBucketing.Instance;
        var salt = ours.Prepare(featureName);
        var mismatches = new List<string>();
        var targeted = 0;
        for (var length = 150; length <= 320; length++)
        {
            foreach (var user in new[] { new string('u', length), new string('ü', length / 2) })
            {
                var expected = await filter.EvaluateAsync(context, new TargetingContext { UserId = user });
                targeted += expected ? 1 : 0;
                if (ours.IsInRollout(ours.Bucket(salt, user), 50) != expected)
                {
                    mismatches.Add($"{user.Length} x '{user[0]}'");
                }
            }
        }
        Assert.That(mismatches, Is.Empty, $"{targeted} of 342 targeted by the package");
        Assert.That(targeted, Is.InRange(100, 242), "both sides of the split are exercised");
    }
}
