using System.Collections.Immutable;
using System.Text.Json;
using CanarySim.Core.Audit;

namespace CanarySim.Core.Tests.Routing;

public sealed class CanaryRouterTests
{
    private static CanaryRouter RouterWith(RouterSettings settings, RouterOptions? options = null, RouterMetrics? metrics = null, IRouteObserver? observer = null) =>
        new(new LiveSettings(settings), options, metrics, observer);

    private static RouterSettings Canary(double pct) => new() { Mode = RouterMode.Canary, CanaryPct = pct, Phase = "phase8" };

    // The expected buckets come from an independent implementation of the canarysim rule (MurmurHash3
    // x86_32 of UTF-8 "salt:key", seed 0, mod 10 000), written in Python outside this repository and checked
    // against the SMHasher vectors BucketingVectorTests uses, not from the bucketing code under test.
    private static readonly Dictionary<(string Salt, string Key), int> IndependentBuckets = new()
    {
        [("canarysim", "session-7")] = 610,
        [("canarysim", "sess")] = 1828,
        [("canarysim", "user")] = 6822,
        [("canarysim", "k")] = 5063,
        [("a", "k")] = 4327,
        [("b", "k")] = 414,
        [("one", "k")] = 8116,
        [("two", "k")] = 3292,
    };

    private static int BucketOf(string key, string salt = "canarysim") => IndependentBuckets[(salt, key)];

    [Test]
    public void Primary_mode_sends_everything_to_v1_with_reason_default()
    {
        var d = RouterWith(RouterSettings.Default with { CanaryPct = 100 }).Route(new RouteRequest("s1"));
        Assert.Multiple(() =>
        {
            Assert.That(d.Selected, Is.EqualTo(Engine.V1));
            Assert.That(d.Reason, Is.EqualTo(RouteReason.Default));
            Assert.That(d.RunShadow, Is.False);
        });
    }

    [Test]
    public void Candidate_mode_sends_everything_to_v2()
    {
        var d = RouterWith(new RouterSettings { Mode = RouterMode.Candidate }).Route(new RouteRequest("s1"));
        Assert.That((d.Selected, d.Reason), Is.EqualTo((Engine.V2, RouteReason.Default)));
    }

    [Test]
    public void Shadow_mode_serves_v1_and_asks_for_a_shadow_run()
    {
        var d = RouterWith(new RouterSettings { Mode = RouterMode.Shadow, CanaryPct = 100 }).Route(new RouteRequest("s1"));
        Assert.That((d.Selected, d.Reason, d.RunShadow), Is.EqualTo((Engine.V1, RouteReason.Shadow, true)));
    }

    [Test]
    public void Canary_mode_uses_the_basis_point_bucket_of_the_session_id()
    {
        const string key = "session-7";
        var bucket = BucketOf(key);
        var justIn = RouterWith(Canary((bucket + 1) / 100.0)).Route(new RouteRequest(key));
        var justOut = RouterWith(Canary(bucket / 100.0)).Route(new RouteRequest(key));
        Assert.Multiple(() =>
        {
            Assert.That((justIn.Selected, justIn.Reason, justIn.Bucket), Is.EqualTo((Engine.V2, RouteReason.Canary, (double?)bucket)));
            Assert.That((justOut.Selected, justOut.Reason, justOut.Bucket), Is.EqualTo((Engine.V1, RouteReason.Default, (double?)bucket)));
            Assert.That(justIn.Phase, Is.EqualTo("phase8"));
            Assert.That(justIn.Mode, Is.EqualTo(RouterMode.Canary));
        });
    }

    [Test]
    public void Session_id_is_the_key_and_user_id_the_fallback()
    {
        var router = RouterWith(Canary(50));
        var withSession = router.Route(new RouteRequest("sess", "user"));
        var userOnly = router.Route(new RouteRequest(null, "user"));
        var emptySession = router.Route(new RouteRequest("", "user"));
        Assert.Multiple(() =>
        {
            Assert.That(withSession.Bucket, Is.EqualTo((double)BucketOf("sess")));
            Assert.That(userOnly.Bucket, Is.EqualTo((double)BucketOf("user")));
            Assert.That(emptySession.Bucket, Is.EqualTo((double)BucketOf("user")));
        });
    }

    [Test]
    public void The_salt_changes_the_bucket()
    {
        var a = RouterWith(Canary(50) with { Salt = "a" }).Route(new RouteRequest("k"));
        var b = RouterWith(Canary(50) with { Salt = "b" }).Route(new RouteRequest("k"));
        Assert.Multiple(() =>
        {
            Assert.That(a.Bucket, Is.EqualTo((double)BucketOf("k", "a")));
            Assert.That(b.Bucket, Is.EqualTo((double)BucketOf("k", "b")));
        });
    }

    [Test]
    public void Kill_switch_overrides_candidate_mode_cohort_and_segments()
    {
        var settings = new RouterSettings
        {
            Mode = RouterMode.Candidate,
            CanaryPct = 100,
            KillSwitch = true,
            Cohort = ImmutableHashSet.Create(StringComparer.Ordinal, "beta-user"),
            Segments = ImmutableDictionary<string, SegmentOverride>.Empty.Add("coder", new SegmentOverride(true, 100)),
        };
        var d = RouterWith(settings).Route(new RouteRequest("s", "beta-user", "coder"));
        Assert.That((d.Selected, d.Reason, d.KillSwitch), Is.EqualTo((Engine.V1, RouteReason.KillSwitch, true)));
    }

    [Test]
    public void Cohort_members_get_v2_even_at_zero_percent_by_user_or_session_id()
    {
        var settings = Canary(0) with { Cohort = ImmutableHashSet.Create(StringComparer.Ordinal, "beta-user", "beta-session") };
        var router = RouterWith(settings);
        var byUser = router.Route(new RouteRequest("other-session", "beta-user"));
        var bySession = router.Route(new RouteRequest("beta-session"));
        var outsider = router.Route(new RouteRequest("x", "y"));
        Assert.Multiple(() =>
        {
            Assert.That((byUser.Selected, byUser.Reason), Is.EqualTo((Engine.V2, RouteReason.Cohort)));
            Assert.That((bySession.Selected, bySession.Reason), Is.EqualTo((Engine.V2, RouteReason.Cohort)));
            Assert.That((outsider.Selected, outsider.Reason), Is.EqualTo((Engine.V1, RouteReason.Default)));
        });
    }

    [Test]
    public void Disabled_segment_gets_v1_and_an_enabled_one_uses_its_own_percentage()
    {
        var settings = Canary(0) with
        {
            Segments = ImmutableDictionary<string, SegmentOverride>.Empty
                .Add("sales", new SegmentOverride(false))
                .Add("coder", new SegmentOverride(true, 100))
                .Add("reader", new SegmentOverride(true)),
        };
        var router = RouterWith(settings with { CanaryPct = 100 });
        var disabled = router.Route(new RouteRequest("s", null, "sales"));
        var ownPct = RouterWith(settings).Route(new RouteRequest("s", null, "coder"));
        var globalPct = router.Route(new RouteRequest("s", null, "reader"));
        var noOverride = RouterWith(settings).Route(new RouteRequest("s", null, "unknown"));
        Assert.Multiple(() =>
        {
            Assert.That((disabled.Selected, disabled.Reason), Is.EqualTo((Engine.V1, RouteReason.SegmentDisabled)));
            Assert.That((ownPct.Selected, ownPct.Reason, ownPct.CanaryPct), Is.EqualTo((Engine.V2, RouteReason.Canary, 100.0)));
            Assert.That((globalPct.Selected, globalPct.CanaryPct), Is.EqualTo((Engine.V2, 100.0)));
            Assert.That((noOverride.Selected, noOverride.CanaryPct), Is.EqualTo((Engine.V1, 0.0)));
        });
    }

    [Test]
    public void Unkeyed_requests_use_the_injected_random_source_and_are_marked()
    {
        RouteDecision[] Run(int seed)
        {
            var router = RouterWith(Canary(30), new RouterOptions { Random = new Random(seed) });
            return [.. Enumerable.Range(0, 200).Select(_ => router.Route(new RouteRequest(null)))];
        }
        var first = Run(7);
        var again = Run(7);
        var expectedDraws = Enumerable.Range(0, 200).Select(_ => 0).ToArray();
        var reference = new Random(7);
        for (var i = 0; i < expectedDraws.Length; i++)
        {
            expectedDraws[i] = reference.Next(10_000);
        }
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(again), "same seed, same decisions");
            Assert.That(first.All(d => d.Reason == RouteReason.Unkeyed && d.Unkeyed), Is.True);
            Assert.That(first.Select(d => (int)d.Bucket!.Value), Is.EqualTo(expectedDraws));
            Assert.That(first.Select(d => d.Selected), Is.EqualTo(expectedDraws.Select(b => b < 3000 ? Engine.V2 : Engine.V1)));
            Assert.That(first.Count(d => d.Selected == Engine.V2), Is.InRange(30, 90));
        });
    }

    [TestCase(-5, 0.0, Engine.V1)]
    [TestCase(150, 100.0, Engine.V2)]
    [TestCase(double.NegativeInfinity, 0.0, Engine.V1)]
    [TestCase(double.PositiveInfinity, 100.0, Engine.V2)]
    public void Out_of_range_percentages_are_clamped_by_the_router(double pct, double clamped, Engine expected)
    {
        var d = RouterWith(Canary(pct)).Route(new RouteRequest("any-key"));
        Assert.That((d.CanaryPct, d.Selected), Is.EqualTo((clamped, expected)));
    }

    [Test]
    public void NaN_percentage_is_rejected()
    {
        var router = RouterWith(Canary(double.NaN));
        var segmentNaN = RouterWith(Canary(5) with { Segments = ImmutableDictionary<string, SegmentOverride>.Empty.Add("x", new SegmentOverride(true, double.NaN)) });
        Assert.Multiple(() =>
        {
            Assert.That(() => router.Route(new RouteRequest("k")), Throws.ArgumentException.With.Message.Contains("NaN"));
            Assert.That(() => segmentNaN.Route(new RouteRequest("k", null, "x")), Throws.ArgumentException.With.Message.Contains("Segments[x]"));
        });
    }

    [Test]
    public void Ramping_up_never_moves_a_key_back_to_v1()
    {
        var live = new LiveSettings(Canary(0));
        var router = new CanaryRouter(live);
        var keys = Enumerable.Range(0, 2000).Select(i => $"session-{i}").ToArray();
        var inCanary = new HashSet<string>();
        foreach (var pct in new[] { 1.0, 2, 5, 10, 25, 50, 75, 100 })
        {
            live.Set(Canary(pct));
            var now = keys.Where(k => router.Route(new RouteRequest(k)).Selected == Engine.V2).ToHashSet();
            Assert.That(now.IsSupersetOf(inCanary), Is.True, $"at {pct}%");
            inCanary = now;
        }
        Assert.That(inCanary, Has.Count.EqualTo(keys.Length));
    }

    [Test]
    public void A_settings_swap_takes_effect_on_the_next_decision_including_a_new_salt()
    {
        var live = new LiveSettings(Canary(50) with { Salt = "one" });
        var router = new CanaryRouter(live);
        var before = router.Route(new RouteRequest("k"));
        live.Set(Canary(50) with { Salt = "two" });
        var after = router.Route(new RouteRequest("k"));
        live.Set(Canary(50) with { Salt = "two", KillSwitch = true });
        var killed = router.Route(new RouteRequest("k"));
        Assert.Multiple(() =>
        {
            Assert.That(before.Bucket, Is.EqualTo((double)BucketOf("k", "one")));
            Assert.That(after.Bucket, Is.EqualTo((double)BucketOf("k", "two")));
            Assert.That(killed.Reason, Is.EqualTo(RouteReason.KillSwitch));
        });
    }

    [Test]
    public async Task Concurrent_traffic_during_config_flips_never_sees_a_torn_decision()
    {
        // Snapshot A: candidate at 100 % in phase "A"; snapshot B: kill switch in phase "B". A torn read would mix them.
        var a = new RouterSettings { Mode = RouterMode.Candidate, CanaryPct = 100, Phase = "A", Salt = "sa" };
        var b = new RouterSettings { Mode = RouterMode.Canary, CanaryPct = 0, KillSwitch = true, Phase = "B", Salt = "sb" };
        var live = new LiveSettings(a);
        var router = new CanaryRouter(live);
        using var stop = new CancellationTokenSource();
        var torn = 0;
        var seen = new int[2];
        var readers = Enumerable.Range(0, 2).Select(t => Task.Run(() =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested || i < 1000)
            {
                var d = router.Route(new RouteRequest($"s{t}-{i++ % 64}"));
                var ok = d.Phase == "A"
                    ? d is { Selected: Engine.V2, Reason: RouteReason.Default, KillSwitch: false, Mode: RouterMode.Candidate, CanaryPct: 100 }
                    : d is { Selected: Engine.V1, Reason: RouteReason.KillSwitch, KillSwitch: true, Mode: RouterMode.Canary, CanaryPct: 0 };
                if (!ok)
                {
                    Interlocked.Increment(ref torn);
                }
                Interlocked.Increment(ref seen[d.Phase == "A" ? 0 : 1]);
            }
        })).ToArray();
        for (var flip = 0; flip < 20_000; flip++)
        {
            live.Set(flip % 2 == 0 ? b : a);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Multiple(() =>
        {
            Assert.That(torn, Is.Zero);
            Assert.That(seen[0] + seen[1], Is.GreaterThanOrEqualTo(2000));
        });
    }

    [Test]
    public void Attached_audit_observer_appends_engine_route_events_with_snake_case_fields()
    {
        var log = new InMemoryAuditLog();
        var time = new ManualTimeProvider();
        var router = RouterWith(Canary(100), observer: new AuditRouteObserver(log, time));
        router.Route(new RouteRequest("k"));
        var e = log.Read(RouteEventJson.EventType).Single();
        using var json = JsonDocument.Parse(e.Data);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(e.At, Is.EqualTo(time.GetUtcNow()));
            Assert.That(root.GetProperty("selected").GetString(), Is.EqualTo("v2"));
            Assert.That(root.GetProperty("reason").GetString(), Is.EqualTo("canary"));
            Assert.That(root.GetProperty("bucket").GetDouble(), Is.EqualTo(BucketOf("k")));
            Assert.That(root.GetProperty("canary_pct").GetDouble(), Is.EqualTo(100));
            Assert.That(root.GetProperty("kill_switch").GetBoolean(), Is.False);
            Assert.That(root.GetProperty("mode").GetString(), Is.EqualTo("canary"));
            Assert.That(root.GetProperty("phase").GetString(), Is.EqualTo("phase8"));
        });
    }

    [Test]
    public void Every_reason_has_its_snake_case_wire_name()
    {
        Assert.That(Enum.GetValues<RouteReason>().Select(r => WireName.Of(r)),
            Is.EqualTo(new[] { "default", "canary", "kill_switch", "shadow", "cohort", "segment_disabled", "unkeyed" }));
    }

    [Test]
    public void Selections_are_counted_per_planner_and_reason()
    {
        var metrics = new RouterMetrics();
        var live = new LiveSettings(Canary(100));
        var router = new CanaryRouter(live, metrics: metrics);
        router.Route(new RouteRequest("a"));
        router.Route(new RouteRequest("b"));
        live.Set(Canary(100) with { KillSwitch = true });
        router.Route(new RouteRequest("a"));
        var snapshot = metrics.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(metrics.Selections(Engine.V2, RouteReason.Canary), Is.EqualTo(2));
            Assert.That(metrics.Selections(Engine.V1, RouteReason.KillSwitch), Is.EqualTo(1));
            Assert.That(snapshot.Selections.Sum(s => s.Count), Is.EqualTo(3));
            Assert.That(snapshot.Selections, Has.Count.EqualTo(14));
        });
    }

    [Test]
    public void Each_algorithm_can_drive_the_router()
    {
        foreach (var algorithm in Enum.GetValues<BucketingAlgorithm>())
        {
            var bucketing = BucketingAlgorithms.Get(algorithm);
            var d = RouterWith(Canary(40) with { Salt = "flag.salt" }, new RouterOptions { Algorithm = algorithm }).Route(new RouteRequest("user-1"));
            var expectedBucket = bucketing.Bucket(bucketing.Prepare("flag.salt"), "user-1");
            Assert.That((d.Algorithm, d.Bucket, d.Selected == Engine.V2), Is.EqualTo((algorithm, (double?)expectedBucket, bucketing.IsInRollout(expectedBucket, 40))), WireName.Of(algorithm));
        }
    }
}
