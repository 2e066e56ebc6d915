using System.Text.Json;
using CanarySim.Core.Judging;
using CanarySim.Core.Rollout;

namespace CanarySim.Core.Tests.Rollout;

public sealed class WireNameTests
{
    private static void SameAsJson<T>()
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            Assert.That(WireName.Of(value), Is.EqualTo(JsonSerializer.Serialize(value).Trim('"')), $"{typeof(T).Name}.{value}");
        }
    }

    [Test]
    public void Every_enum_written_to_files_and_apis_has_the_same_text_as_its_json()
    {
        SameAsJson<VerdictOutcome>();
        SameAsJson<VerdictAction>();
        SameAsJson<MeasurementPhase>();
        SameAsJson<AnalysisPhase>();
        SameAsJson<RollbackState>();
        SameAsJson<JudgeClassification>();
        SameAsJson<SettingsChangeKind>();
        SameAsJson<CheckAggregate>();
        SameAsJson<CheckCompare>();
        SameAsJson<MissingBaseline>();
        SameAsJson<WindowKind>();
        SameAsJson<MetricClassification>();
        SameAsJson<MetricDirection>();
        SameAsJson<NanStrategy>();
        Assert.That(WireName.Of(VerdictAction.ManualReview), Is.EqualTo("manual_review"));
    }

    [Test]
    public void Wire_text_reads_back_as_its_value_and_nothing_else_does()
    {
        foreach (var kind in Enum.GetValues<SettingsChangeKind>())
        {
            Assert.That(WireName.TryParse<SettingsChangeKind>(WireName.Of(kind), out var back) && back == kind, Is.True, kind.ToString());
        }
        Assert.That(WireName.TryParse<SettingsChangeKind>("ReduceTraffic", out _), Is.False, "the member name is not the wire text");
        Assert.That(WireName.TryParse<SettingsChangeKind>("Reduce_traffic", out _), Is.False, "ordinal");
        Assert.That(WireName.TryParse<SettingsChangeKind>(null, out _), Is.False);
        Assert.That(WireName.TryParse<VerdictAction>("manual_review", out var action) ? action : VerdictAction.None, Is.EqualTo(VerdictAction.ManualReview));
    }

    [Test]
    public void Field_hints_suggest_the_closest_name_or_list_the_allowed_ones()
    {
        Assert.That(FieldHint.For("stagse", ["stages", "traffic"]), Is.EqualTo(" (did you mean 'stages'?)"));
        Assert.That(FieldHint.For("zzzzzzzz", ["stages", "traffic"]), Is.EqualTo(" (expected one of stages, traffic)"));
        Assert.That(FieldHint.Distance("kitten", "sitting"), Is.EqualTo(3));
    }
}
