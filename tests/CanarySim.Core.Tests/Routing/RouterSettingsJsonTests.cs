using System.Collections.Immutable;
using System.Text.Json;

namespace CanarySim.Core.Tests.Routing;

public sealed class RouterSettingsJsonTests
{
    private static readonly RouterSettings Rich = RouterSettings.Default with
    {
        Mode = RouterMode.Canary,
        CanaryPct = 12.5,
        KillSwitch = true,
        Salt = "s-1",
        Phase = "phase8",
        Segments = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, SegmentOverride>
        {
            ["search"] = new(true, 25),
            ["billing"] = new(false),
        }),
        Cohort = ImmutableHashSet.Create(StringComparer.Ordinal, "beta-2", "beta-1"),
    };

    [Test]
    public void Serialises_to_the_snake_case_wire_form_with_sorted_segments_and_cohort()
    {
        Assert.That(RouterSettingsJson.Serialize(Rich), Is.EqualTo(
            """{"mode":"canary","canary_pct":12.5,"kill_switch":true,"salt":"s-1","phase":"phase8","segments":{"billing":{"enabled":false},"search":{"enabled":true,"canary_pct":25}},"cohort":["beta-1","beta-2"]}"""));
    }

    [Test]
    public void Default_settings_serialise_with_every_field()
    {
        Assert.That(RouterSettingsJson.Serialize(RouterSettings.Default), Is.EqualTo(
            """{"mode":"primary","canary_pct":0,"kill_switch":false,"salt":"canarysim","phase":"","segments":{},"cohort":[]}"""));
    }

    [TestCase(RouterMode.Primary)]
    [TestCase(RouterMode.Shadow)]
    [TestCase(RouterMode.Canary)]
    [TestCase(RouterMode.Candidate)]
    public void Round_trips(RouterMode mode)
    {
        var settings = Rich with { Mode = mode };
        Assert.That(RouterSettingsJson.Deserialize(RouterSettingsJson.Serialize(settings, indented: true)), Is.EqualTo(settings));
    }

    [Test]
    public void Omitted_fields_keep_the_given_defaults_so_a_partial_object_patches()
    {
        var patched = RouterSettingsJson.Deserialize("""{"canary_pct":40,"kill_switch":false}""", Rich);
        Assert.That(patched, Is.EqualTo(Rich with { CanaryPct = 40, KillSwitch = false }));
        Assert.That(RouterSettingsJson.Deserialize("{}"), Is.EqualTo(RouterSettings.Default));
    }

    [Test]
    public void Reads_from_a_json_element_inside_a_larger_document()
    {
        using var doc = JsonDocument.Parse("""{"settings":{"mode":"shadow","segments":{"x":{"enabled":true,"canary_pct":null}}}}""");
        var settings = RouterSettingsJson.Read(doc.RootElement.GetProperty("settings"));
        Assert.Multiple(() =>
        {
            Assert.That(settings.Mode, Is.EqualTo(RouterMode.Shadow));
            Assert.That(settings.Segments["x"], Is.EqualTo(new SegmentOverride(true, null)));
        });
    }

    [TestCase("""{"canary_pct":150}""", "canary_pct: expected a number from 0 to 100, got 150")]
    [TestCase("""{"canary_pct":-0.5}""", "canary_pct: expected a number from 0 to 100, got -0.5")]
    [TestCase("""{"canary_pct":"NaN"}""", "canary_pct: expected a number from 0 to 100, got \"NaN\"")]
    [TestCase("""{"mode":"blue"}""", "mode: expected one of primary, shadow, canary, candidate, got \"blue\"")]
    [TestCase("""{"kill_switch":"yes"}""", "kill_switch: expected true or false, got \"yes\"")]
    [TestCase("""{"canaryPct":10}""", "unknown field 'canaryPct'")]
    [TestCase("""{"segments":{"a":{"canary_pct":5}}}""", "segments.a.enabled: required")]
    [TestCase("""{"segments":{"a":{"enabled":true,"canary_pct":101}}}""", "segments.a.canary_pct: expected a number from 0 to 100, got 101")]
    [TestCase("""{"segments":[]}""", "segments: expected an object")]
    [TestCase("""{"cohort":["a",3]}""", "cohort[1]: expected a string, got 3")]
    [TestCase("""[1]""", "expected a JSON object, got an array")]
    [TestCase("""{"mode":""", "not valid JSON")]
    public void Invalid_input_is_rejected_naming_the_field_and_what_was_expected(string json, string expected)
    {
        Assert.That(() => RouterSettingsJson.Deserialize(json), Throws.TypeOf<FormatException>().With.Message.Contains(expected));
    }

    [Test]
    public void A_nan_percentage_cannot_be_written()
    {
        Assert.That(() => RouterSettingsJson.Serialize(RouterSettings.Default with { CanaryPct = double.NaN }),
            Throws.ArgumentException.With.Message.Contains("canary_pct"));
    }
}
