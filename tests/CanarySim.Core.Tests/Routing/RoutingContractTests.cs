using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;

namespace CanarySim.Core.Tests.Routing;

/// <summary>
/// Small contracts of the routing types that the mutation run found unasserted: every field of a decision for each
/// reason, settings equality field by field, the wire names both ways, the metrics snapshot order, live-settings
/// events, option validation and the settings JSON errors for segments and cohorts.
/// </summary>
public sealed class RoutingContractTests
{
    private static readonly RouterSettings Canary = RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 100, Phase = "p" };

    private static RouteDecision Route(RouterSettings settings, RouteRequest request) =>
        new CanaryRouter(new LiveSettings(settings), new RouterOptions { Random = new Random(3) }).Route(request, settings);

    [Test]
    public void Every_decision_states_its_reason_kill_switch_shadow_run_and_whether_it_was_keyed()
    {
        var keyed = new RouteRequest("s-1", "u-1", "eu");
        var unkeyed = new RouteRequest(null, null, "eu");
        var cases = new (string Name, RouterSettings Settings, Engine Engine, RouteReason Reason, bool Kill, bool Shadow, RouterMode Mode)[]
        {
            ("kill switch", Canary with { KillSwitch = true }, Engine.V1, RouteReason.KillSwitch, true, false, RouterMode.Canary),
            ("cohort", Canary with { CanaryPct = 0, Cohort = ImmutableHashSet.Create(StringComparer.Ordinal, "u-1", "") }, Engine.V2, RouteReason.Cohort, false, false, RouterMode.Canary),
            ("segment disabled", Canary with { Segments = ImmutableDictionary<string, SegmentOverride>.Empty.Add("eu", new SegmentOverride(false)) }, Engine.V1, RouteReason.SegmentDisabled, false, false, RouterMode.Canary),
            ("primary", Canary with { Mode = RouterMode.Primary }, Engine.V1, RouteReason.Default, false, false, RouterMode.Primary),
            ("shadow", Canary with { Mode = RouterMode.Shadow }, Engine.V1, RouteReason.Shadow, false, true, RouterMode.Shadow),
            ("candidate", Canary with { Mode = RouterMode.Candidate, CanaryPct = 0 }, Engine.V2, RouteReason.Default, false, false, RouterMode.Candidate),
        };
        foreach (var c in cases)
        {
            var pct = c.Settings.CanaryPct;
            Assert.That(Route(c.Settings, keyed), Is.EqualTo(new RouteDecision(c.Engine, c.Reason, null, pct, c.Kill, c.Mode, "p", false, c.Shadow, BucketingAlgorithm.CanarySim)), c.Name + ", keyed");
            var expectedUnkeyed = c.Name == "cohort" ? Engine.V1 : c.Engine; // the cohort names keys; an unkeyed request is not in it
            var unkeyedDecision = Route(c.Settings, unkeyed);
            if (c.Name == "cohort")
            {
                Assert.That((unkeyedDecision.Selected, unkeyedDecision.Reason, unkeyedDecision.Unkeyed), Is.EqualTo((expectedUnkeyed, RouteReason.Unkeyed, true)), c.Name + ", unkeyed");
                continue;
            }
            Assert.That(unkeyedDecision, Is.EqualTo(new RouteDecision(c.Engine, c.Reason, null, pct, c.Kill, c.Mode, "p", true, c.Shadow, BucketingAlgorithm.CanarySim)), c.Name + ", unkeyed");
        }
    }

    [Test]
    public void A_bucketed_decision_is_neither_kill_switched_nor_shadowed()
    {
        var keyed = Route(Canary, new RouteRequest("s-1"));
        Assert.That(keyed with { Bucket = null }, Is.EqualTo(new RouteDecision(Engine.V2, RouteReason.Canary, null, 100, false, RouterMode.Canary, "p", false, false, BucketingAlgorithm.CanarySim)));
        Assert.That(keyed.Bucket, Is.Not.Null);
        var unkeyed = Route(Canary, new RouteRequest(null));
        Assert.That(unkeyed with { Bucket = null }, Is.EqualTo(new RouteDecision(Engine.V2, RouteReason.Unkeyed, null, 100, false, RouterMode.Canary, "p", true, false, BucketingAlgorithm.CanarySim)));
        Assert.That(() => new CanaryRouter(new LiveSettings(Canary)).Route(new RouteRequest("s"), null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Settings_are_equal_only_when_every_field_and_collection_is()
    {
        var segments = ImmutableDictionary<string, SegmentOverride>.Empty.Add("eu", new SegmentOverride(true, 5)).Add("us", new SegmentOverride(false));
        var cohort = ImmutableHashSet.Create(StringComparer.Ordinal, "a", "b");
        var full = RouterSettings.Default with { Mode = RouterMode.Canary, CanaryPct = 12.5, KillSwitch = false, Salt = "s", Phase = "ph", Segments = segments, Cohort = cohort };
        var copy = RouterSettings.Default with
        {
            Mode = RouterMode.Canary, CanaryPct = 12.5, Salt = "s", Phase = "ph",
            Segments = ImmutableDictionary<string, SegmentOverride>.Empty.Add("us", new SegmentOverride(false)).Add("eu", new SegmentOverride(true, 5)),
            Cohort = ImmutableHashSet.Create(StringComparer.Ordinal, "b", "a"),
        };
        Assert.That(full.Equals(copy), Is.True);
        var different = new (string Field, RouterSettings Other)[]
        {
            ("mode", full with { Mode = RouterMode.Shadow }),
            ("canary_pct", full with { CanaryPct = 12.6 }),
            ("kill_switch", full with { KillSwitch = true }),
            ("salt", full with { Salt = "t" }),
            ("phase", full with { Phase = "other" }),
            ("segment value", full with { Segments = segments.SetItem("eu", new SegmentOverride(true, 6)) }),
            ("segment name", full with { Segments = segments.Remove("us").Add("fr", new SegmentOverride(false)) }),
            ("segment count", full with { Segments = segments.Remove("us") }),
            ("one segment of two differs", full with { Segments = segments.SetItem("us", new SegmentOverride(true)) }),
            ("cohort", full with { Cohort = cohort.Remove("b").Add("c") }),
        };
        foreach (var (field, other) in different)
        {
            Assert.That(full.Equals(other), Is.False, field);
            Assert.That(other.Equals(full), Is.False, field);
        }
        Assert.That(full.Equals((RouterSettings?)null), Is.False);
    }

    [Test]
    public void Wire_names_read_back_and_unknown_ones_are_refused()
    {
        foreach (var reason in Enum.GetValues<RouteReason>())
        {
            Assert.That(WireName.TryParseIgnoreCase<RouteReason>(" " + WireName.Of(reason).ToUpperInvariant() + " ", out var read), Is.True, reason.ToString());
            Assert.That(read, Is.EqualTo(reason));
        }
        Assert.That(WireName.All<RouteReason>(), Is.EqualTo(new[] { "default", "canary", "kill_switch", "shadow", "cohort", "segment_disabled", "unkeyed" }));
        Assert.That(WireName.TryParseIgnoreCase<RouteReason>("fallback", out _), Is.False);
        Assert.That(WireName.TryParseIgnoreCase<RouteReason>(null, out _), Is.False);
        Assert.That(() => WireName.Of((RouteReason)RouteReasons.Count), Throws.InstanceOf<ArgumentOutOfRangeException>());

        Assert.That(WireName.TryParseIgnoreCase<Engine>(" V1 ", out var v1) && v1 == Engine.V1, Is.True);
        Assert.That(WireName.TryParseIgnoreCase<Engine>("v2", out var v2) && v2 == Engine.V2, Is.True);
        Assert.That(WireName.TryParseIgnoreCase<Engine>("v3", out _), Is.False);
        Assert.That(WireName.TryParseIgnoreCase<Engine>(null, out _), Is.False);
        Assert.That((WireName.Of(Engine.V1), WireName.Of(Engine.V2)), Is.EqualTo(("v1", "v2")));
    }

    [Test]
    public void The_metrics_snapshot_orders_diffs_by_agents_then_changed_and_refuses_a_non_positive_count()
    {
        var metrics = new RouterMetrics();
        metrics.RecordDiff("b", "a", true);
        metrics.RecordDiff("a", "b", false);
        metrics.RecordDiff("a", "a", true);
        metrics.RecordDiff("a", "a", false, 3);
        metrics.RecordDiff(null, null, false);
        metrics.RecordDiff("a", "a", true);

        Assert.That(metrics.Snapshot().Diffs, Is.EqualTo(new[]
        {
            new DiffCount("", "", false, 1), new DiffCount("a", "a", false, 3), new DiffCount("a", "a", true, 2),
            new DiffCount("a", "b", false, 1), new DiffCount("b", "a", true, 1),
        }));
        Assert.That(() => metrics.RecordDiff("a", "a", true, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => metrics.RecordDiff("a", "a", true, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Live_settings_tell_every_swap_to_their_listeners()
    {
        var live = new LiveSettings(RouterSettings.Default);
        var seen = new List<(RouterSettings Before, RouterSettings After)>();
        live.Changed += (before, after) => seen.Add((before, after));
        var next = RouterSettings.Default with { CanaryPct = 5 };

        Assert.That(live.Set(next), Is.SameAs(RouterSettings.Default));
        var (before, after) = live.Update(s => s with { CanaryPct = s.CanaryPct * 2 });

        Assert.That((before, after.CanaryPct, live.Current), Is.EqualTo((next, 10.0, after)));
        Assert.That(seen, Is.EqualTo(new[] { (RouterSettings.Default, next), (next, after) }));
        Assert.That(() => live.Set(null!), Throws.ArgumentNullException);
        Assert.That(() => live.Update(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Router_options_validation_names_the_bad_option()
    {
        Assert.That(() => new RouterOptions { ShadowTimeout = TimeSpan.Zero }.Validate(), Throws.InstanceOf<ValidationException>().With.Message.Contains("ShadowTimeout"));
        Assert.That(() => new RouterOptions { V2Timeout = TimeSpan.FromDays(2) }.Validate(), Throws.InstanceOf<ValidationException>().With.Message.Contains("V2Timeout"));
        Assert.That(() => new RouterOptions { Algorithm = (BucketingAlgorithm)9 }.Validate(), Throws.InstanceOf<ValidationException>().With.Message.EqualTo("Algorithm: unknown algorithm 9."));
        Assert.That(() => new RouterOptions { DiffDimensions = null! }.Validate(), Throws.ArgumentNullException);
        Assert.That(() => new RouterOptions { Random = null! }.Validate(), Throws.ArgumentNullException);
        Assert.That(() => new RouterOptions { TimeProvider = null! }.Validate(), Throws.ArgumentNullException);
        var valid = new RouterOptions();
        Assert.That(valid.Validate(), Is.SameAs(valid));
    }

    [Test]
    public void The_key_is_the_session_then_the_user_and_never_an_empty_string()
    {
        Assert.That(new RouteRequest("s", "u").Key, Is.EqualTo("s"));
        Assert.That(new RouteRequest("", "u").Key, Is.EqualTo("u"));
        Assert.That(new RouteRequest(null, "").Key, Is.Null);
        Assert.That(new RouteRequest("", null).Key, Is.Null);
        Assert.That(() => RouteRequest.From(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void A_diff_with_two_changed_dimensions_is_still_a_change()
    {
        var v1 = new EngineResponse { Engine = Engine.V1, Agent = "A", DryRun = false };
        var v2 = new EngineResponse { Engine = Engine.V2, Agent = "B", DryRun = true };

        var diff = DecisionDiff.Compare(v1, v2);

        Assert.That((diff.AnyChange, diff.AgentV1, diff.AgentV2, diff.DryRunChanged), Is.EqualTo((true, "A", "B", true)));
        Assert.That(DecisionDiff.Compare(v1 with { Agent = null }, v1 with { Agent = null }).AgentV1, Is.EqualTo(""));
        Assert.That(() => DecisionDiff.Compare(null!, v2), Throws.ArgumentNullException);
        Assert.That(() => DecisionDiff.Compare(v1, null!), Throws.ArgumentNullException);
        Assert.That(new EngineResponse { Engine = Engine.V1 }.Body, Is.EqualTo(""));
    }

    [TestCase("""{"segments": {"eu": 5}}""", "router settings: segments.eu: expected an object {\"enabled\":bool,\"canary_pct\":number}, got 5")]
    [TestCase("""{"segments": {"eu": {"enabled": true, "share": 1}}}""", "router settings: segments.eu: unknown field 'share'; expected enabled, canary_pct")]
    [TestCase("""{"segments": {"eu": {"enabled": "yes"}}}""", "router settings: segments.eu.enabled: expected true or false, got \"yes\"")]
    [TestCase("""{"segments": {"eu": {"enabled": true, "canary_pct": 101}}}""", "router settings: segments.eu.canary_pct: expected a number from 0 to 100, got 101")]
    [TestCase("""{"segments": {"eu": {"enabled": true}, "eu": {"enabled": false}}}""", "router settings: segments.eu: segment named twice")]
    [TestCase("""{"cohort": {}}""", "router settings: cohort: expected an array of keys, got an object")]
    [TestCase("""{"cohort": ["a", false]}""", "router settings: cohort[1]: expected a string, got false")]
    [TestCase("""{"kill_switch": null}""", "router settings: kill_switch: expected true or false, got null")]
    [TestCase("""{"salt": true}""", "router settings: salt: expected a string, got true")]
    public void Settings_json_errors_name_the_segment_or_cohort_item(string json, string message)
    {
        Assert.That(() => RouterSettingsJson.Deserialize(json), Throws.InstanceOf<FormatException>().With.Message.EqualTo(message));
    }

    [Test]
    public void Settings_json_names_the_known_fields_the_segment_that_cannot_be_written_and_its_arguments()
    {
        Assert.That(() => RouterSettingsJson.Deserialize("""{"colour": 1}"""), Throws.InstanceOf<FormatException>().With.Message.EqualTo(
            "router settings: unknown field 'colour'; expected one of mode, canary_pct, kill_switch, salt, phase, segments, cohort"));
        var nan = RouterSettings.Default with { Segments = ImmutableDictionary<string, SegmentOverride>.Empty.Add("eu", new SegmentOverride(true, double.NaN)) };
        Assert.That(() => RouterSettingsJson.Serialize(nan), Throws.ArgumentException.With.Message.StartWith("router settings: segments.eu.canary_pct is NaN; JSON needs a finite number"));
        Assert.That(RouterSettingsJson.Serialize(RouterSettings.Default, indented: true), Does.Contain("\n  \"mode\": \"primary\""));
        Assert.That(RouterSettingsJson.Serialize(RouterSettings.Default), Does.StartWith("{\"mode\":\"primary\",\"canary_pct\":0,"));
        Assert.That(() => RouterSettingsJson.Serialize(null!), Throws.ArgumentNullException);
        Assert.That(() => RouterSettingsJson.Deserialize(null!), Throws.ArgumentNullException);
        using var writer = new System.Text.Json.Utf8JsonWriter(new MemoryStream());
        Assert.That(() => RouterSettingsJson.Write(null!, RouterSettings.Default), Throws.ArgumentNullException);
        Assert.That(() => RouterSettingsJson.Write(writer, null!), Throws.ArgumentNullException);
        Assert.That(() => RouteEventJson.WriteFields(null!, default), Throws.ArgumentNullException);
    }

    [Test]
    public void Settings_json_takes_percentages_of_exactly_0_and_100()
    {
        Assert.That(RouterSettingsJson.Deserialize("""{"canary_pct": 0}""").CanaryPct, Is.EqualTo(0));
        Assert.That(RouterSettingsJson.Deserialize("""{"canary_pct": 100}""").CanaryPct, Is.EqualTo(100));
        Assert.That(RouterSettingsJson.Deserialize("""{"segments": {"eu": {"enabled": true, "canary_pct": 100}}}""").Segments["eu"], Is.EqualTo(new SegmentOverride(true, 100)));
    }
}
