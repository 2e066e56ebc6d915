using System.Collections.Immutable;

namespace CanarySim.Core.Tests.Routing;

/// <summary>
/// The two ends of the rollout: at 0 % no request reaches v2 and at 100 % every request does,
/// keyed or unkeyed, with every bucketing algorithm, including the requests whose bucket or random
/// draw sits exactly on the edge (where a <c>&lt;</c> turned into <c>&lt;=</c> would leak).
/// </summary>
public sealed class RolloutBoundaryTests
{
    private static readonly BucketingAlgorithm[] Algorithms = Enum.GetValues<BucketingAlgorithm>();

    private const string Salt = "checkout.rollout";

    private static IEnumerable<TestCaseData> EveryAlgorithmAndEdgeDraw() =>
        from algorithm in Algorithms
        from draw in new[] { 0, 1, 4_999, 9_998, 9_999 }
        select new TestCaseData(algorithm, draw).SetArgDisplayNames(WireName.Of(algorithm), $"draw {draw}");

    private static CanaryRouter Router(BucketingAlgorithm algorithm, double pct, Random? random = null) =>
        new(new LiveSettings(new RouterSettings { Mode = RouterMode.Canary, CanaryPct = pct, Salt = Salt }),
            new RouterOptions { Algorithm = algorithm, Random = random ?? new Random(19) });

    [TestCaseSource(nameof(EveryAlgorithmAndEdgeDraw))]
    public void Unkeyed_request_at_0_percent_never_goes_to_v2_whatever_the_draw(BucketingAlgorithm algorithm, int draw)
    {
        var d = Router(algorithm, 0, new FixedDraw(draw)).Route(new RouteRequest(null));
        Assert.That((d.Selected, d.Reason, d.Bucket), Is.EqualTo((Engine.V1, RouteReason.Unkeyed, (double?)draw)));
    }

    [TestCaseSource(nameof(EveryAlgorithmAndEdgeDraw))]
    public void Unkeyed_request_at_100_percent_always_goes_to_v2_whatever_the_draw(BucketingAlgorithm algorithm, int draw)
    {
        var d = Router(algorithm, 100, new FixedDraw(draw)).Route(new RouteRequest(null));
        Assert.That((d.Selected, d.Reason, d.Bucket), Is.EqualTo((Engine.V2, RouteReason.Unkeyed, (double?)draw)));
    }

    [Test]
    public void Unkeyed_draw_just_below_the_percentage_goes_to_v2_and_the_draw_at_it_to_v1()
    {
        // 12.34 % is 1 234 basis points: draws 0..1 233 are in, 1 234 is the first one out.
        var inside = Router(BucketingAlgorithm.CanarySim, 12.34, new FixedDraw(1_233)).Route(new RouteRequest(null));
        var atEdge = Router(BucketingAlgorithm.CanarySim, 12.34, new FixedDraw(1_234)).Route(new RouteRequest(null));
        Assert.That((inside.Selected, atEdge.Selected), Is.EqualTo((Engine.V2, Engine.V1)));
    }

    [TestCaseSource(nameof(EveryAlgorithmCase))]
    public void Keyed_requests_at_0_percent_never_go_to_v2(BucketingAlgorithm algorithm)
    {
        var router = Router(algorithm, 0);
        var leaked = SessionKeys(algorithm).Where(k => router.Route(new RouteRequest(k)).Selected == Engine.V2).ToList();
        Assert.That(leaked, Is.Empty);
    }

    [TestCaseSource(nameof(EveryAlgorithmCase))]
    public void Keyed_requests_at_100_percent_always_go_to_v2(BucketingAlgorithm algorithm)
    {
        var router = Router(algorithm, 100);
        var missed = SessionKeys(algorithm).Where(k => router.Route(new RouteRequest(k)).Selected == Engine.V1).ToList();
        Assert.That(missed, Is.Empty);
    }

    [TestCaseSource(nameof(EveryAlgorithmCase))]
    public void A_segment_at_0_percent_keeps_its_keys_on_v1_while_the_global_percentage_is_100(BucketingAlgorithm algorithm)
    {
        var settings = new RouterSettings
        {
            Mode = RouterMode.Canary,
            CanaryPct = 100,
            Salt = Salt,
            Segments = ImmutableDictionary<string, SegmentOverride>.Empty.Add("billing", new SegmentOverride(true, 0)),
        };
        var router = new CanaryRouter(new LiveSettings(settings), new RouterOptions { Algorithm = algorithm, Random = new FixedDraw(0) });
        var leaked = SessionKeys(algorithm).Append(null)
            .Where(k => router.Route(new RouteRequest(k, null, "billing")).Selected == Engine.V2).ToList();
        Assert.That(leaked, Is.Empty);
    }

    /// <summary>
    /// The smallest and largest bucket each algorithm can produce: 0 % must exclude the one and
    /// 100 % include the other. LaunchDarkly divides in single precision, so its top 60-bit hash
    /// values round up to exactly 1.0.
    /// </summary>
    [TestCase(BucketingAlgorithm.CanarySim, 0.0, 9_999.0)]
    [TestCase(BucketingAlgorithm.Unleash, 1.0, 100.0)]
    [TestCase(BucketingAlgorithm.FeatureManagement, 0.0, 100.0)]
    [TestCase(BucketingAlgorithm.LaunchDarkly, 0.0, 1.0)]
    public void The_extreme_buckets_are_out_at_0_percent_and_in_at_100_percent(BucketingAlgorithm algorithm, double lowest, double highest)
    {
        var bucketing = BucketingAlgorithms.Get(algorithm);
        Assert.Multiple(() =>
        {
            Assert.That(bucketing.IsInRollout(lowest, 0), Is.False, "lowest bucket at 0 %");
            Assert.That(bucketing.IsInRollout(highest, 0), Is.False, "highest bucket at 0 %");
            Assert.That(bucketing.IsInRollout(lowest, 100), Is.True, "lowest bucket at 100 %");
            Assert.That(bucketing.IsInRollout(highest, 100), Is.True, "highest bucket at 100 %");
        });
    }

    private static IEnumerable<TestCaseData> EveryAlgorithmCase() =>
        Algorithms.Select(a => new TestCaseData(a).SetArgDisplayNames(WireName.Of(a)));

    /// <summary>
    /// 2 000 session-id-like keys of varied length and alphabet, plus, for the integer-bucket
    /// algorithms, keys found to land exactly on the lowest and highest bucket.
    /// </summary>
    private static IEnumerable<string> SessionKeys(BucketingAlgorithm algorithm)
    {
        var random = new Random(1_900);
        var keys = Enumerable.Range(0, 2_000).Select(_ => SessionId(random)).ToList();
        var bucketing = BucketingAlgorithms.Get(algorithm);
        var salt = bucketing.Prepare(Salt);
        var (lowest, highest) = algorithm switch
        {
            BucketingAlgorithm.CanarySim => (0.0, 9_999.0),
            BucketingAlgorithm.Unleash => (1.0, 100.0),
            _ => (double.NaN, double.NaN),
        };
        if (!double.IsNaN(lowest))
        {
            keys.Add(FirstKeyIn(bucketing, salt, lowest));
            keys.Add(FirstKeyIn(bucketing, salt, highest));
        }
        return keys;
    }

    private static string FirstKeyIn(IBucketing bucketing, BucketingSalt salt, double bucket)
    {
        for (var i = 0; i < 1_000_000; i++)
        {
            var key = $"sess_{i:x6}";
            if (bucketing.Bucket(salt, key) == bucket)
            {
                return key;
            }
        }
        throw new InvalidOperationException($"no key in bucket {bucket} among a million tries");
    }

    private static string SessionId(Random random)
    {
        const string alphabets = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:";
        var prefix = random.Next(4) switch { 0 => "sess_", 1 => "user-", 2 => "", _ => "u:" };
        var length = random.Next(1, 41);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabets[random.Next(alphabets.Length)];
        }
        return prefix + new string(chars);
    }

    /// <summary>A random source whose every draw is the given value (the edge under test).</summary>
    private sealed class FixedDraw(int value) : Random
    {
        public override int Next(int maxValue) =>
            value < maxValue ? value : throw new ArgumentOutOfRangeException(nameof(maxValue), $"draw {value} is outside 0..{maxValue - 1}");
    }
}
