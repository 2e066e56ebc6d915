using CanarySim.Core.Rollout;

namespace CanarySim.Service.Rollout;

/// <summary>
/// What a plan must be to run live, beyond being valid (which already means its percentages only go up): every
/// gate is one the service can judge — the detector, or a manual approval through <c>POST /guard/rollout/approve</c>.
/// </summary>
public static class LivePlanRules
{
    /// <summary>Every reason the plan cannot run live (empty when it can), each naming the file, line and field.</summary>
    public static IReadOnlyList<PlanValidationError> Check(RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<PlanValidationError>();
        for (var i = 0; i < plan.Stages.Count; i++)
        {
            var stage = plan.Stages[i];
            for (var g = 0; g < stage.Gates.Count; g++)
            {
                var gate = stage.Gates[g];
                if (gate.Kind is GateKind.ReleaseGate or GateKind.RollbackRehearsal)
                {
                    errors.Add(new PlanValidationError(plan.Source, gate.Line > 0 ? gate.Line : stage.Line, $"stages[{i}].gates[{g}].kind",
                        $"stage '{stage.Name}': a {gate.Kind.ToWire()} gate cannot run live (the live runner judges detector and manual_approval gates); run it in the rehearsal or the simulation"));
                }
            }
        }
        return errors;
    }

    /// <summary>Throws <see cref="PlanValidationException"/> with every problem of <see cref="Check"/>.</summary>
    public static void EnsureLive(RolloutPlan plan)
    {
        PlanValidator.EnsureValid(plan);
        var errors = Check(plan);
        if (errors.Count > 0)
        {
            throw new PlanValidationException(errors);
        }
    }

    /// <summary>The plan fields the live runner ignores (they only shape a simulation), for the start-up line.</summary>
    public const string SimulationOnlyFields = "traffic, inject, start, duration";
}
