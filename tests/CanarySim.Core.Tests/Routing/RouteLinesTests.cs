using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Tests.Routing;

/// <summary>
/// JSON Lines batch routing (what <c>canarysim route</c> reads from stdin). Exact buckets come from Unleash's published
/// client vectors (group "gr1", user "123" → 73); the rest is checked by rules that need no second router:
/// 0 % and the kill switch never select v2, 100 % always does, a line's own fields win over the defaults.
/// </summary>
public sealed class RouteLinesTests
{
    private static RouteLines Lines(RouteLineDefaults? defaults = null) => new(defaults ?? new RouteLineDefaults(), new Random(7));

    private static Stream Utf8(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    private static List<JsonObject> RouteAll(string input, RouteLineDefaults? defaults = null)
    {
        var output = new MemoryStream();
        Lines(defaults).RouteAll(Utf8(input), output);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.That(text, text.Length == 0 ? Is.Empty : Does.EndWith("\n"));
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    private static string Error(string line)
    {
        var ok = Lines().TryRoute(Encoding.UTF8.GetBytes(line), out _, out _, out var error);
        Assert.That(ok, Is.False, line);
        return error;
    }

    [Test]
    public void A_line_routes_by_the_published_unleash_bucket_and_is_written_with_every_field()
    {
        var output = new MemoryStream();
        Lines().RouteAll(Utf8("""
            {"key": "123", "salt": "gr1", "algorithm": "unleash", "pct": 73}
            {"key": "123", "salt": "gr1", "algorithm": "unleash", "pct": 72}
            """), output);

        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo(
            """{"key":"123","selected":"v2","reason":"canary","bucket":73,"canary_pct":73,"kill_switch":false,"mode":"canary","phase":"","unkeyed":false,"algorithm":"unleash"}""" + "\n" +
            """{"key":"123","selected":"v1","reason":"default","bucket":73,"canary_pct":72,"kill_switch":false,"mode":"canary","phase":"","unkeyed":false,"algorithm":"unleash"}""" + "\n"));
    }

    [Test]
    public void Blank_lines_are_skipped_and_decisions_keep_the_input_order()
    {
        var decisions = RouteAll("{\"key\":\"a\",\"pct\":100}\n\n  \t\r\n{\"key\":\"b\",\"pct\":0}\r\n{\"pct\":100}");

        Assert.That(decisions.Select(d => ((string?)d["key"], (string?)d["selected"], (string?)d["reason"])), Is.EqualTo(new[]
        {
            ("a", "v2", "canary"), ("b", "v1", "default"), ((string?)null, "v2", "unkeyed"),
        }));
        Assert.That((bool)decisions[2]["unkeyed"]!, Is.True);
        Assert.That(decisions[2]["key"], Is.Null);
    }

    [Test]
    public void Each_line_uses_its_own_settings_even_when_the_previous_line_differed()
    {
        // Same key through pct 100, 0, 100, then the kill switch, then 100 again: a reused snapshot would show up here.
        var decisions = RouteAll("""
            {"key": "k", "pct": 100}
            {"key": "k", "pct": 0}
            {"key": "k", "pct": 100}
            {"key": "k", "pct": 100, "kill_switch": true}
            {"key": "k", "pct": 100, "mode": "shadow"}
            {"key": "k", "pct": 100}
            """);

        Assert.That(decisions.Select(d => ((string?)d["selected"], (string?)d["reason"], (string?)d["mode"])), Is.EqualTo(new[]
        {
            ("v2", "canary", "canary"), ("v1", "default", "primary"), ("v2", "canary", "canary"),
            ("v1", "kill_switch", "canary"), ("v1", "shadow", "shadow"), ("v2", "canary", "canary"),
        }));
        Assert.That(decisions.Select(d => (bool)d["kill_switch"]!), Is.EqualTo(new[] { false, false, false, true, false, false }));
    }

    [Test]
    public void A_different_salt_on_the_next_line_changes_the_bucket()
    {
        var decisions = RouteAll("""
            {"key": "123", "salt": "gr1", "algorithm": "unleash", "pct": 50}
            {"key": "999", "salt": "groupX", "algorithm": "unleash", "pct": 50}
            {"key": "123", "salt": "gr1", "algorithm": "unleash", "pct": 50}
            """);

        Assert.That(decisions.Select(d => (int)d["bucket"]!), Is.EqualTo(new[] { 73, 25, 73 }));
        Assert.That(decisions.Select(d => (string?)d["selected"]), Is.EqualTo(new[] { "v1", "v2", "v1" }));
    }

    [Test]
    public void Missing_fields_take_the_defaults_and_a_line_overrides_them()
    {
        var defaults = new RouteLineDefaults { Key = "123", Salt = "gr1", Algorithm = BucketingAlgorithm.Unleash, Pct = 80, Mode = RouterMode.Canary };

        var decisions = RouteAll("{}\n{\"pct\": 10}\n{\"key\": null}\n{\"key\": null, \"user\": \"123\"}\n{\"algorithm\": \"LaunchDarkly\", \"kill_switch\": true}\n", defaults);

        Assert.That(decisions.Select(d => ((string?)d["key"], (string?)d["reason"], (double?)d["bucket"], (double)d["canary_pct"]!, (string?)d["algorithm"])), Is.EqualTo(new (string?, string?, double?, double, string?)[]
        {
            ("123", "canary", 73, 80.0, "unleash"),
            ("123", "default", 73, 10.0, "unleash"),
            (null, "unkeyed", (double?)decisions[2]["bucket"], 80.0, "unleash"), // the bucket of an unkeyed request is its random draw
            ("123", "canary", 73, 80.0, "unleash"),
            ("123", "kill_switch", null, 80.0, "launchdarkly"),
        }));
        Assert.That((string?)decisions[0]["mode"], Is.EqualTo("canary"));
    }

    [Test]
    public void The_defaults_alone_route_their_own_request()
    {
        var lines = Lines(new RouteLineDefaults { Key = "123", User = "u-1", Segment = "eu", Salt = "gr1", Algorithm = BucketingAlgorithm.Unleash, Pct = 73 });

        var decision = lines.RouteDefaults(out var request);

        Assert.That(request, Is.EqualTo(new RouteRequest("123", "u-1", "eu")));
        Assert.That((decision.Selected, decision.Reason, decision.Bucket, decision.Mode), Is.EqualTo((Engine.V2, RouteReason.Canary, (double?)73, RouterMode.Canary)));
        var none = Lines().RouteDefaults(out var empty);
        Assert.That((empty.Key, none.Selected, none.Mode, none.CanaryPct), Is.EqualTo(((string?)null, Engine.V1, RouterMode.Primary, 0.0)));
    }

    [Test]
    public void Zero_percent_never_and_one_hundred_always_select_v2_for_every_algorithm()
    {
        var input = new StringBuilder();
        foreach (var algorithm in WireName.All<BucketingAlgorithm>())
        {
            for (var i = 0; i < 50; i++)
            {
                input.Append($$"""{"key":"session-{{i}}","algorithm":"{{algorithm}}","pct":0}""").Append('\n');
                input.Append($$"""{"key":"session-{{i}}","algorithm":"{{algorithm}}","pct":100}""").Append('\n');
            }
        }

        var decisions = RouteAll(input.ToString());

        Assert.That(decisions, Has.Count.EqualTo(400));
        Assert.That(decisions.Where((_, i) => i % 2 == 0).Select(d => (string?)d["selected"]), Is.All.EqualTo("v1"));
        Assert.That(decisions.Where((_, i) => i % 2 == 1).Select(d => (string?)d["selected"]), Is.All.EqualTo("v2"));
        Assert.That(decisions.Select(d => (string?)d["algorithm"]).Distinct(), Is.EqualTo(WireName.All<BucketingAlgorithm>()));
    }

    [Test]
    public void Input_larger_than_the_read_buffer_and_output_larger_than_one_write_chunk_arrive_whole()
    {
        // About 2.4 MB in (the line reader starts with 64 KiB) and 5 MB out (written in 1 MiB chunks); the last line has no newline.
        const int count = 30_000;
        var input = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            input.Append($$"""{"key": "session-{{i:D6}}", "segment": "{{new string('s', 20)}}", "pct": 100}""");
            if (i < count - 1)
            {
                input.Append('\n');
            }
        }
        var output = new MemoryStream();

        Lines().RouteAll(Utf8(input.ToString()), output);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n');
        Assert.That(lines, Has.Length.EqualTo(count + 1));
        Assert.That(lines[^1], Is.Empty);
        Assert.That(Enumerable.Range(0, count).All(i => lines[i].StartsWith($"{{\"key\":\"session-{i:D6}\",\"selected\":\"v2\"", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void A_line_longer_than_the_read_buffer_is_read_whole()
    {
        var longKey = new string('k', 200_000);
        var decisions = RouteAll($"{{\"key\":\"{longKey}\",\"pct\":100}}\n{{\"key\":\"short\",\"pct\":0}}\n");

        Assert.That(decisions.Select(d => ((string?)d["key"], (string?)d["selected"])), Is.EqualTo(new[] { (longKey, "v2"), ("short", "v1") }));
    }

    [Test]
    public void Every_bad_field_is_named_with_what_was_expected_and_what_came()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Error("[1]"), Is.EqualTo("expected a JSON object per line."));
            Assert.That(Error("\"key\""), Is.EqualTo("expected a JSON object per line."));
            Assert.That(Error("{\"key\": 5}"), Is.EqualTo("field 'key': expected a string, got 5."));
            Assert.That(Error("{\"user\": true}"), Is.EqualTo("field 'user': expected a string, got true."));
            Assert.That(Error("{\"segment\": {}}"), Is.EqualTo("field 'segment': expected a string, got an object."));
            Assert.That(Error("{\"key\": [1]}"), Is.EqualTo("field 'key': expected a string, got an array."));
            Assert.That(Error("{\"salt\": null}"), Is.EqualTo("field 'salt': expected a string."));
            Assert.That(Error("{\"salt\": 3}"), Is.EqualTo("field 'salt': expected a string, got 3."));
            Assert.That(Error("{\"pct\": 100.5}"), Is.EqualTo("field 'pct': expected a number between 0 and 100, got 100.5."));
            Assert.That(Error("{\"pct\": -0.01}"), Is.EqualTo("field 'pct': expected a number between 0 and 100, got -0.01."));
            Assert.That(Error("{\"pct\": \"50\"}"), Is.EqualTo("field 'pct': expected a number between 0 and 100, got '50'."));
            Assert.That(Error("{\"algorithm\": \"murmur\"}"), Is.EqualTo("field 'algorithm': expected one of canarysim, unleash, featuremanagement, launchdarkly, got 'murmur'."));
            Assert.That(Error("{\"algorithm\": 1}"), Is.EqualTo("field 'algorithm': expected one of canarysim, unleash, featuremanagement, launchdarkly, got 1."));
            Assert.That(Error($"{{\"algorithm\": \"{new string('u', 33)}\"}}"), Does.StartWith("field 'algorithm': expected one of"));
            Assert.That(Error("{\"mode\": \"blue\"}"), Is.EqualTo("field 'mode': expected one of primary, shadow, canary, candidate, got 'blue'."));
            Assert.That(Error("{\"mode\": null}"), Is.EqualTo("field 'mode': expected one of primary, shadow, canary, candidate, got null."));
            Assert.That(Error("{\"kill_switch\": \"yes\"}"), Is.EqualTo("field 'kill_switch': expected true or false, got 'yes'."));
            Assert.That(Error("{\"kill_switch\": 1}"), Is.EqualTo("field 'kill_switch': expected true or false, got 1."));
            Assert.That(Error("{\"colour\": \"red\"}"), Is.EqualTo("field 'colour': unknown; a line may have key, user, segment, pct, salt, algorithm, mode, kill_switch."));
            Assert.That(Error("{} {}"), Is.EqualTo("malformed JSON at byte 4 of the line: '{' is invalid after a single JSON value. Expected end of data."));
            Assert.That(Error("{\"key\": \"a\""), Does.StartWith("malformed JSON at byte ").And.Not.Contain("LineNumber"));
        });
    }

    [Test]
    public void Boundary_values_are_accepted()
    {
        var decisions = RouteAll("""
            {"key": "a", "pct": 0, "algorithm": " Unleash ", "mode": "candidate", "kill_switch": false, "user": null, "segment": null}
            {"key": "a", "pct": 100, "algorithm": "featuremanagement", "salt": ""}
            {"key": "a", "pct": 100, "algorithm": "featuremanagement               "}
            """);

        Assert.That(decisions.Select(d => ((string?)d["algorithm"], (string?)d["mode"], (string?)d["selected"])), Is.EqualTo(new[]
        {
            ("unleash", "candidate", "v2"), ("featuremanagement", "canary", "v2"), ("featuremanagement", "canary", "v2"),
        }), "an algorithm name padded to 32 characters is still read");
    }

    [Test]
    public void Check_all_names_the_first_bad_line_counting_blank_lines_and_routes_nothing()
    {
        var lines = Lines();

        Assert.That(lines.TryCheckAll(Utf8("{\"pct\": 5}\n\n{\"pct\": 500}\n{\"mode\": \"x\"}\n"), out var badLine, out var error), Is.False);
        Assert.That((badLine, error), Is.EqualTo((3, "field 'pct': expected a number between 0 and 100, got 500.")));

        Assert.That(lines.TryCheckAll(Utf8("{\"pct\": 5}\n\n   \n{\"key\": \"k\"}"), out badLine, out error), Is.True);
        Assert.That((badLine, error), Is.EqualTo((0, "")));
        Assert.That(lines.TryCheckAll(Utf8(""), out badLine, out error), Is.True);
        Assert.That((badLine, error), Is.EqualTo((0, "")));
    }

    [Test]
    public void Route_all_stops_at_a_bad_line_naming_its_number()
    {
        var ex = Assert.Throws<FormatException>(() => Lines().RouteAll(Utf8("{\"pct\": 5}\n\n{\"nope\": 1}\n{\"pct\": 6}\n"), new MemoryStream()))!;

        Assert.That(ex.Message, Is.EqualTo("line 3: field 'nope': unknown; a line may have key, user, segment, pct, salt, algorithm, mode, kill_switch."));
    }

    [Test]
    public void Is_percentage_takes_0_to_100_and_refuses_nan()
    {
        Assert.That(new[] { 0, 0.001, 50, 100 }.Select(RouteLines.IsPercentage), Is.All.True);
        Assert.That(new[] { -0.001, 100.001, double.NaN, double.PositiveInfinity, double.NegativeInfinity }.Select(RouteLines.IsPercentage), Is.All.False);
    }

    [Test]
    public void Missing_arguments_are_refused_naming_them()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new RouteLines(null!, new Random(1)), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("defaults"));
            Assert.That(() => new RouteLines(new RouteLineDefaults(), null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("random"));
            Assert.That(() => Lines().TryCheckAll(null!, out _, out _), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("input"));
            Assert.That(() => Lines().RouteAll(null!, new MemoryStream()), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("input"));
            Assert.That(() => Lines().RouteAll(Utf8(""), null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("output"));
            Assert.That(() => RouteLines.WriteDecision(null!, default, default), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("writer"));
        });
    }
}
