using CanarySim.Core.Gating;

namespace CanarySim.Core.Tests.Gating;

/// <summary>The last tie-break of first-run scoring: same (case, role), same start, same source.</summary>
public sealed class FirstRunScorerTieTests
{
    private static UatCase FirstRun(int index, bool passed) =>
        new(index, "FIN-01", UatRole.Reader, UatRunKind.First, UatJson.T0, passed, true, 1000, false, false, false, UatWire.ClearBenchmark);

    [TestCase(true)]
    [TestCase(false)]
    public void Two_first_runs_started_together_in_one_source_are_won_by_the_earlier_case_index_whatever_the_order(bool earlierFirst)
    {
        var scorer = new FirstRunScorer();
        var earlier = FirstRun(2, passed: true);
        var later = FirstRun(5, passed: false);

        foreach (var c in earlierFirst ? new[] { earlier, later } : [later, earlier])
        {
            scorer.Add(c, "raw.json");
        }

        Assert.That((scorer.Winners().Single().Case, scorer.Superseded), Is.EqualTo((earlier, 1)));
    }
}
