using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;

namespace CanarySim.Core.Tests.Routing;

/// <summary>
/// FsCheck properties of the router, for every bucketing algorithm, over percentages from 0 to 100 %
/// in basis points and realistic session and user ids (<see cref="RoutingGen"/>). Each run prints how
/// its cases spread (algorithm, percentage band) so a reader sees what was exercised.
/// </summary>
public sealed class RouterProperties
{
    private static CanaryRouter Router(RouterSettings settings, BucketingAlgorithm algorithm) =>
        new(new LiveSettings(settings), new RouterOptions { Algorithm = algorithm });

    private static string Band(double pct) => pct switch
    {
        0 => "0 %",
        < 10 => "(0, 10) %",
        < 50 => "[10, 50) %",
        < 100 => "[50, 100) %",
        _ => "100 %",
    };

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Same_key_salt_and_pct_give_the_same_decision_across_router_instances() =>
        Prop.ForAll(
            (from key in RoutingGen.Key from salt in RoutingGen.Salt from pct in RoutingGen.Percent from algorithm in RoutingGen.Algorithm
             select (key, salt, pct, algorithm)).ToArbitrary(),
            c =>
            {
                var settings = new RouterSettings { Mode = RouterMode.Canary, CanaryPct = c.pct, Salt = c.salt };
                var a = Router(settings, c.algorithm).Route(new RouteRequest(c.key));
                var b = Router(settings with { }, c.algorithm).Route(new RouteRequest(c.key));
                return (a == b && a.Bucket is not null)
                    .Collect(WireName.Of(c.algorithm))
                    .Classify(a.Selected == Engine.V2, "routed to v2");
            });

    [FsCheck.NUnit.Property(MaxTest = 400)]
    public Property In_canary_at_p_means_in_canary_at_every_higher_q() =>
        Prop.ForAll(
            (from key in RoutingGen.Key from salt in RoutingGen.Salt from p in RoutingGen.Percent from q in RoutingGen.Percent
             from algorithm in RoutingGen.Algorithm
             select (key, salt, lo: Math.Min(p, q), hi: Math.Max(p, q), algorithm)).ToArbitrary(),
            c =>
            {
                var settings = new RouterSettings { Mode = RouterMode.Canary, Salt = c.salt };
                var atLo = Router(settings with { CanaryPct = c.lo }, c.algorithm).Route(new RouteRequest(c.key)).Selected;
                var atHi = Router(settings with { CanaryPct = c.hi }, c.algorithm).Route(new RouteRequest(c.key)).Selected;
                // Only a key already in the canary at the lower percentage tests anything: count those.
                return (atLo == Engine.V1 || atHi == Engine.V2)
                    .Label($"{WireName.Of(c.algorithm)}: '{c.key}' salt '{c.salt}' in at {c.lo} % but out at {c.hi} %")
                    .Classify(atLo == Engine.V2, "in the canary at the lower percentage")
                    .Collect(Band(c.hi));
            });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Kill_switch_always_wins() =>
        Prop.ForAll(
            (from session in RoutingGen.Key.OrNull() from user in RoutingGen.Key.OrNull() from segment in Gen.Elements("planner", "billing").OrNull()
             from pct in RoutingGen.Percent from mode in Gen.Elements(Enum.GetValues<RouterMode>())
             from inCohort in Gen.Elements(true, false) from segmentEnabled in Gen.Elements(true, false) from algorithm in RoutingGen.Algorithm
             select (session, user, segment, pct, mode, inCohort, segmentEnabled, algorithm)).ToArbitrary(),
            c =>
            {
                var cohort = c.inCohort && (c.session ?? c.user) is { Length: > 0 } member
                    ? ImmutableHashSet.Create(StringComparer.Ordinal, member)
                    : ImmutableHashSet<string>.Empty;
                var segments = c.segment is null
                    ? ImmutableDictionary<string, SegmentOverride>.Empty
                    : ImmutableDictionary<string, SegmentOverride>.Empty.Add(c.segment, new SegmentOverride(c.segmentEnabled, 100));
                var settings = new RouterSettings { Mode = c.mode, CanaryPct = c.pct, KillSwitch = true, Cohort = cohort, Segments = segments };
                var d = Router(settings, c.algorithm).Route(new RouteRequest(c.session, c.user, c.segment));
                return (d is { Selected: Engine.V1, Reason: RouteReason.KillSwitch, KillSwitch: true, RunShadow: false })
                    .Collect(c.mode);
            });

    /// <summary>
    /// Over 100 000 fresh keys the share routed to v2 is within one point of the percentage, whatever the
    /// percentage: a router that never (or always) selects v2 fails at once.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 6)]
    public Property Observed_split_is_within_one_point_of_pct_over_100000_random_keys() =>
        Prop.ForAll(
            (from seed in Gen.Choose(0, int.MaxValue) from pct in RoutingGen.Percent from algorithm in RoutingGen.Algorithm
             select (seed, pct, algorithm)).ToArbitrary(),
            c =>
            {
                var router = Router(new RouterSettings { Mode = RouterMode.Canary, CanaryPct = c.pct, Salt = $"salt-{c.seed}" }, c.algorithm);
                const int n = 100_000;
                var random = new Random(c.seed);
                var inCanary = 0;
                for (var i = 0; i < n; i++)
                {
                    if (router.Route(new RouteRequest(RoutingGen.SessionKey(random))).Selected == Engine.V2)
                    {
                        inCanary++;
                    }
                }
                var observed = inCanary * 100.0 / n;
                var effective = EffectivePct(c.pct, c.algorithm);
                return (Math.Abs(observed - effective) <= 1.0)
                    .Label($"{WireName.Of(c.algorithm)}: pct {c.pct} (effective {effective}), observed {observed:F3}")
                    .Collect(Band(c.pct));
            });

    /// <summary>
    /// The share of buckets a percentage really admits: Unleash buckets are whole percents 1–100 (in when the
    /// bucket is at most the percentage), so 42.85 % admits 42 of them; the other algorithms are finer than the
    /// property's one-point tolerance.
    /// </summary>
    private static double EffectivePct(double pct, BucketingAlgorithm algorithm) =>
        algorithm == BucketingAlgorithm.Unleash ? Math.Floor(pct) : pct;
}
