using System.Globalization;
using CanarySim.Core.Gating;

namespace CanarySim.Features.Steps;

/// <summary>Which recorded run of a UAT case the release gate scored (first-run-only scoring, <see cref="FirstRunScorer"/>).</summary>
[Binding]
public sealed class GateScoringSteps(StageRecord record)
{
    /// <summary>
    /// Checks which run of one case and role the last gate scored: the earliest first run across the
    /// replayed artifacts (as read back from the gate report), never a diagnostic rerun or a later
    /// first run. The step says whether that run failed or passed; on failure it lists every run of the
    /// case and role with its kind, start time, result and artifact.
    /// </summary>
    [Then(@"^case ""([^""]+)"" as ""(ai\.reader|ai\.operator)"" was scored from its (failed|passed) first run$")]
    public void ScoredFrom(string caseId, string role, string result)
    {
        var report = record.Gate ?? throw new InvalidOperationException("no gate ran yet: add 'When the stage N gate replays …' first");
        var scorer = new FirstRunScorer();
        var runs = new List<ScoredCase>();
        foreach (var input in report.Inputs)
        {
            using var stream = File.OpenRead(RepoPaths.Fixture("uat", input.Source));
            foreach (var item in new UatArtifactReader(stream, input.Source).ReadCases())
            {
                scorer.Add(item, input.Source);
                if (item.CaseId == caseId && RoleName(item.Role) == role)
                {
                    runs.Add(new ScoredCase(item, input.Source));
                }
            }
        }
        var all = runs.Count == 0 ? "none" : string.Join("; ", runs.OrderBy(r => r.Case.StartedAt).Select(Describe));
        var scored = scorer.Winners().SingleOrDefault(w => w.Case.CaseId == caseId && RoleName(w.Case.Role) == role);
        Assert.That(scored, Is.Not.Null, $"the gate scored no run of {caseId} as {role} (runs seen: {all})");
        var actual = scored!.Case.Passed ? "passed" : "failed";
        Assert.That(actual, Is.EqualTo(result), $"the gate scored {caseId} as {role} from {Describe(scored)}, which {actual} (runs seen: {all})");
    }

    private static string RoleName(UatRole role) => role == UatRole.Reader ? UatWire.Reader : UatWire.Operator;

    private static string Describe(ScoredCase run) => string.Create(CultureInfo.InvariantCulture,
        $"{(run.Case.RunKind == UatRunKind.First ? "first run" : "diagnostic rerun")} at {run.Case.StartedAt:yyyy-MM-dd HH:mm} {(run.Case.Passed ? "passed" : "failed")} in \"{run.Source}\"");
}
