using System.Collections.Immutable;
using CanarySim.Core.Routing;
using FsCheck;
using FsCheck.Fluent;

namespace CanarySim.Core.Tests.Routing;

/// <summary>FsCheck properties of the router (SPEC §1), for every bucketing algorithm.</summary>
public sealed class RouterProperties
{
    private static readonly BucketingAlgorithm[] Algorithms = Enum.GetValues<BucketingAlgorithm>();

    private static CanaryRouter Router(RouterSettings settings, BucketingAlgorithm algorithm) =>
        new(new LiveSettings(settings), new RouterOptions { Algorithm = algorithm });

    private static double Pct(int basisPoints) => Math.Abs(basisPoints % 10_001) / 100.0;

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public bool Same_key_salt_and_pct_give_the_same_decision_across_router_instances(NonEmptyString key, string? salt, int bp, byte algorithm)
    {
        var algo = Algorithms[algorithm % Algorithms.Length];
        var settings = new RouterSettings { Mode = RouterMode.Canary, CanaryPct = Pct(bp), Salt = salt ?? "" };
        var a = Router(settings, algo).Route(new RouteRequest(key.Get));
        var b = Router(settings with { }, algo).Route(new RouteRequest(key.Get));
        return a == b && a.Bucket is not null;
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public bool In_canary_at_p_means_in_canary_at_every_higher_q(NonEmptyString key, string? salt, int p, int q, byte algorithm)
    {
        var algo = Algorithms[algorithm % Algorithms.Length];
        var (lo, hi) = Pct(p) <= Pct(q) ? (Pct(p), Pct(q)) : (Pct(q), Pct(p));
        var baseSettings = new RouterSettings { Mode = RouterMode.Canary, Salt = salt ?? "s" };
        var atLo = Router(baseSettings with { CanaryPct = lo }, algo).Route(new RouteRequest(key.Get)).Selected;
        var atHi = Router(baseSettings with { CanaryPct = hi }, algo).Route(new RouteRequest(key.Get)).Selected;
        return atLo == Engine.V1 || atHi == Engine.V2;
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public bool Kill_switch_always_wins(string? session, string? user, string? segment, int bp, byte mode, bool inCohort, bool segmentEnabled, byte algorithm)
    {
        var cohort = inCohort && (session ?? user) is { Length: > 0 } member
            ? ImmutableHashSet.Create(StringComparer.Ordinal, member)
            : ImmutableHashSet<string>.Empty;
        var segments = segment is null
            ? ImmutableDictionary<string, SegmentOverride>.Empty
            : ImmutableDictionary<string, SegmentOverride>.Empty.Add(segment, new SegmentOverride(segmentEnabled, 100));
        var settings = new RouterSettings
        {
            Mode = (RouterMode)(mode % 4),
            CanaryPct = Pct(bp),
            KillSwitch = true,
            Cohort = cohort,
            Segments = segments,
        };
        var d = Router(settings, Algorithms[algorithm % Algorithms.Length]).Route(new RouteRequest(session, user, segment));
        return d is { Selected: Engine.V1, Reason: RouteReason.KillSwitch, KillSwitch: true, RunShadow: false };
    }

    [FsCheck.NUnit.Property(MaxTest = 6)]
    public Property Observed_split_is_within_one_point_of_pct_over_100000_random_keys(int seed, int bp, byte algorithm)
    {
        var algo = Algorithms[algorithm % Algorithms.Length];
        var pct = Pct(bp);
        var router = Router(new RouterSettings { Mode = RouterMode.Canary, CanaryPct = pct, Salt = $"salt-{seed}" }, algo);
        var random = new Random(seed);
        const int n = 100_000;
        var inCanary = 0;
        Span<char> key = stackalloc char[16];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < key.Length; c++)
            {
                key[c] = (char)('a' + random.Next(26));
            }
            if (router.Route(new RouteRequest(new string(key))).Selected == Engine.V2)
            {
                inCanary++;
            }
        }
        var observed = inCanary * 100.0 / n;
        return (Math.Abs(observed - pct) <= 1.0).Label($"{algo.ToWire()}: pct {pct}, observed {observed:F3}");
    }
}
