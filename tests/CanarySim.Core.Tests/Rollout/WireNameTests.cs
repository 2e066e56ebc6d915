using System.Text.Json;
using CanarySim.Core.Detection;
using CanarySim.Core.Judging;
using CanarySim.Core.Rollback;
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
        Assert.That(WireName.Of(VerdictAction.ManualReview), Is.EqualTo("manual_review"));
    }

    [Test]
    public void Field_hints_suggest_the_closest_name_or_list_the_allowed_ones()
    {
        Assert.That(FieldHint.For("stagse", ["stages", "traffic"]), Is.EqualTo(" (did you mean 'stages'?)"));
        Assert.That(FieldHint.For("zzzzzzzz", ["stages", "traffic"]), Is.EqualTo(" (expected one of stages, traffic)"));
        Assert.That(FieldHint.Distance("kitten", "sitting"), Is.EqualTo(3));
    }
}
