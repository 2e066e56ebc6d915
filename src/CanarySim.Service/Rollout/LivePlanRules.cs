using CanarySim.Core.Rollout;

namespace CanarySim.Service.Rollout;

/// <summary>
/// What a plan must be to run live, beyond being valid (which already means its percentages only go up): every exit
/// criterion must be one the live runner can measure. Decision divergence is measured only by the simulator (it
/// compares both engines' decisions on the same traffic), so an exit criterion on <c>divergence</c> would never be
/// met live and is refused. Every gate kind runs live: the detector, a manual approval (<c>POST /guard/rollout/approve</c>),
/// a release gate over artifacts posted to <c>POST /guard/rollout/artifacts</c>, and a rollback rehearsal on the live router.
/// </summary>
public static class LivePlanRules
{
    /// <summary>The plan fields the live runner ignores (they only shape a simulation), for the start-up line.</summary>
    public const string SimulationOnlyFields = "traffic, inject, start, duration";

    /// <summary>Every reason the plan cannot run live (empty when it can), each naming the file, line and field.</summary>
    public static IReadOnlyList<PlanValidationError> Check(RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<PlanValidationError>();
        for (var i = 0; i < plan.Stages.Count; i++)
        {
            var stage = plan.Stages[i];
            for (var c = 0; c < stage.ExitCriteria.Count; c++)
            {
                var criterion = stage.ExitCriteria[c];
                if (criterion.Metric == "divergence")
                {
                    errors.Add(new PlanValidationError(plan.Source, criterion.Line > 0 ? criterion.Line : stage.Line, $"stages[{i}].exit_criteria[{c}]",
                        $"stage '{stage.Name}': exit criterion '{criterion}' cannot be met live (decision divergence is measured only in the simulation); run it in the simulation or drop it from the live plan"));
                }
            }
        }
        return errors;
    }

    /// <summary>Throws <see cref="PlanValidationException"/> with every problem of <see cref="PlanValidator"/> and <see cref="Check"/>.</summary>
    public static void EnsureLive(RolloutPlan plan)
    {
        PlanValidator.EnsureValid(plan);
        var errors = Check(plan);
        if (errors.Count > 0)
        {
            throw new PlanValidationException(errors);
        }
    }

    /// <summary>What the live runner ignores in <paramref name="plan"/>, for the start-up line: the simulation-only fields, and the artifact paths of release gates (live, a gate judges the artifacts posted for its stage).</summary>
    public static string Ignored(RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var paths = plan.Stages.Any(s => s.Gates.Any(g => g.Kind == GateKind.ReleaseGate && g.Artifacts.Count > 0));
        return SimulationOnlyFields + (paths ? "; release gate artifact paths (live, each release gate judges the artifacts posted to POST /guard/rollout/artifacts for its stage)" : "");
    }
}
