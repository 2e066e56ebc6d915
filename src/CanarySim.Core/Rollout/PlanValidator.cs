using System.Globalization;
using CanarySim.Core.Gating;

namespace CanarySim.Core.Rollout;

/// <summary>
/// Checks a plan's meaning (the loader checks its shape): percentages in range and rising, unique stage
/// names, known metrics, operators, gate kinds and detector checks, durations that make sense, and a
/// rollback rehearsal before 100 %. Every error names the file, line and field.
/// </summary>
public static class PlanValidator
{
    /// <summary>Detector check names a rollback trigger may name.</summary>
    public static IReadOnlyList<string> Checks { get; } =
    [
        "min_samples", "quality", "latency", "cost", "error_rate", "latency_sustained",
        "policy_violation", "cost_spike", "complaints", "fallback_rate",
    ];

    /// <summary>Detector actions a trigger may name.</summary>
    public static IReadOnlyList<string> Actions { get; } = ["none", "hold", "manual_review", "pause", "reduce_traffic", "rollback"];

    /// <summary>The stages a release gate can judge: the gate's one ladder (<see cref="GateOptions.Stages"/>).</summary>
    private static readonly IReadOnlyList<int> ReleaseGateStages = new GateOptions().Stages;

    /// <summary>Comparison operators of exit criteria.</summary>
    public static IReadOnlyList<string> Operators { get; } = ["<", "<=", ">", ">=", "=="];

    /// <summary>Every problem found (empty when the plan is valid).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="lines">Field path → line, as recorded by the loader (optional).</param>
    public static IReadOnlyList<PlanValidationError> Validate(RolloutPlan plan, IReadOnlyDictionary<string, int>? lines = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<PlanValidationError>();
        void Error(string path, string message, int fallbackLine = 0) =>
            errors.Add(new PlanValidationError(plan.Source, LineOf(lines, path, fallbackLine), path, message));

        if (plan.Schema != RolloutPlan.SchemaId)
        {
            Error("schema", $"expected '{RolloutPlan.SchemaId}', got '{plan.Schema}'");
        }
        if (string.IsNullOrWhiteSpace(plan.Name))
        {
            Error("name", "expected a non-empty plan name");
        }
        if (plan.Duration <= TimeSpan.Zero)
        {
            Error("duration", "expected a positive duration such as 7w or 30d");
        }
        if (plan.EvaluationInterval < TimeSpan.FromSeconds(1))
        {
            Error("evaluation.interval", "expected at least 1s");
        }
        if (plan.EvidenceWindow < plan.EvaluationInterval)
        {
            Error("evidence.window", $"expected at least the evaluation interval ({PlanDuration.Format(plan.EvaluationInterval)})");
        }
        if (plan.Traffic.Requests < 1)
        {
            Error("traffic.requests", "expected at least 1 request");
        }
        if (plan.Traffic.Sessions < 1)
        {
            Error("traffic.sessions", "expected at least 1 session");
        }
        if (plan.Traffic.Profile is not ("steady" or "diurnal"))
        {
            Error("traffic.profile", $"expected 'steady' or 'diurnal', got '{plan.Traffic.Profile}'");
        }
        if (plan.Traffic.UnkeyedShare is < 0 or > 1 || double.IsNaN(plan.Traffic.UnkeyedShare))
        {
            Error("traffic.unkeyed_share", "expected a share between 0 and 1");
        }
        if (plan.Traffic.Agents.Count == 0)
        {
            Error("traffic.agents", "expected at least one agent type");
        }
        ValidateEngine(plan.Traffic.V1, "traffic.v1", Error);
        ValidateEngine(plan.Traffic.V2, "traffic.v2", Error);
        var p = plan.Progression;
        if (p.HealthyEvaluations < 1)
        {
            Error("progression.healthy_evaluations", "expected at least 1");
        }
        if (p.MaxDivergence is < 0 or > 1 || double.IsNaN(p.MaxDivergence))
        {
            Error("progression.max_divergence", "expected a share between 0 and 1");
        }
        if (p.SlowDownFactor < 1 || double.IsNaN(p.SlowDownFactor))
        {
            Error("progression.slow_down_factor", "expected a factor of at least 1");
        }
        if (p.DiffSampleRate is < 0 or > 1 || double.IsNaN(p.DiffSampleRate))
        {
            Error("progression.diff_sample_rate", "expected a share between 0 and 1");
        }

        if (plan.Stages.Count == 0)
        {
            Error("stages", "expected at least one stage");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        double previous = -1;
        var rehearsed = false;
        for (var i = 0; i < plan.Stages.Count; i++)
        {
            var stage = plan.Stages[i];
            var at = $"stages[{i}]";
            if (string.IsNullOrWhiteSpace(stage.Name))
            {
                Error($"{at}.name", "expected a non-empty stage name", stage.Line);
            }
            else if (!names.Add(stage.Name))
            {
                Error($"{at}.name", $"duplicate stage name '{stage.Name}' (stage names must be unique)", stage.Line);
            }
            if (double.IsNaN(stage.Percent) || stage.Percent is < 0 or > 100)
            {
                Error($"{at}.percent", $"expected a percentage between 0 and 100, got {Fmt(stage.Percent)}", stage.Line);
            }
            else
            {
                if (stage.Kind == StageKind.Shadow && stage.Percent != 0)
                {
                    Error($"{at}.percent", $"a shadow stage serves 0 % on v2, got {Fmt(stage.Percent)}", stage.Line);
                }
                if (stage.Kind != StageKind.Shadow && stage.Percent == 0)
                {
                    Error($"{at}.percent", $"a {stage.Kind.ToWire()} stage needs a percentage above 0 (use kind: shadow for 0 %)", stage.Line);
                }
                if (stage.Percent < previous || (stage.Percent == previous && stage.Percent > 0))
                {
                    Error($"{at}.percent", $"stages must ramp up: {Fmt(stage.Percent)} % follows {Fmt(previous)} %", stage.Line);
                }
                previous = Math.Max(previous, stage.Percent);
            }
            if (stage.Kind == StageKind.Shadow && i > 0 && plan.Stages[i - 1].Kind != StageKind.Shadow)
            {
                Error($"{at}.kind", "a shadow stage must come before every canary and progressive stage", stage.Line);
            }
            if (stage.MinHold < TimeSpan.Zero)
            {
                Error($"{at}.min_hold", "expected a duration of at least 0s", stage.Line);
            }
            if (stage.Percent >= 100 && !rehearsed)
            {
                Error($"{at}", "a rollback rehearsal is required before 100 % — add a 'rollback_rehearsal' gate to an earlier stage", stage.Line);
            }
            for (var g = 0; g < stage.Gates.Count; g++)
            {
                var gate = stage.Gates[g];
                var gp = $"{at}.gates[{g}]";
                switch (gate.Kind)
                {
                    case GateKind.ReleaseGate:
                        if (gate.Artifacts.Count == 0)
                        {
                            Error($"{gp}.artifacts", "a release gate needs at least one raw UAT artifact path", gate.Line);
                        }
                        if (!ReleaseGateStages.Contains(gate.GatedStage(stage.Percent)))
                        {
                            Error($"{gp}.stage", gate.GateStage is { } gs
                                ? $"expected one of the release gate's stages {string.Join(", ", ReleaseGateStages)}, got {gs}"
                                : $"this stage is at {Fmt(stage.Percent)} %, not one of the release gate's stages {string.Join(", ", ReleaseGateStages)}: name the gated stage with 'stage:'", gate.Line);
                        }
                        if (gate.LatencyP95SlaMs <= 0 || double.IsNaN(gate.LatencyP95SlaMs))
                        {
                            Error($"{gp}.latency_p95_sla_ms", "expected a positive SLA in ms", gate.Line);
                        }
                        if (gate.BaselineCorrectionRate is { } b && (b is < 0 or > 1 || double.IsNaN(b)))
                        {
                            Error($"{gp}.baseline_correction_rate", "expected a rate between 0 and 1", gate.Line);
                        }
                        break;
                    case GateKind.RollbackRehearsal:
                        if (gate.Smoke.Count == 0)
                        {
                            Error($"{gp}.smoke", "a rollback rehearsal needs at least one smoke scenario", gate.Line);
                        }
                        rehearsed = true;
                        break;
                    case GateKind.ManualApproval:
                        if (string.IsNullOrWhiteSpace(gate.Approver))
                        {
                            Error($"{gp}.approver", "expected who approves", gate.Line);
                        }
                        break;
                }
            }
            for (var c = 0; c < stage.ExitCriteria.Count; c++)
            {
                var crit = stage.ExitCriteria[c];
                var cp = $"{at}.exit_criteria[{c}]";
                if (!RolloutMetrics.Names.Contains(crit.Metric))
                {
                    Error($"{cp}.metric", $"unknown metric '{crit.Metric}' (expected one of {string.Join(", ", RolloutMetrics.Names)})", crit.Line);
                }
                if (!Operators.Contains(crit.Op))
                {
                    Error($"{cp}.op", $"unknown comparison '{crit.Op}' (expected one of {string.Join(" ", Operators)})", crit.Line);
                }
                if (double.IsNaN(crit.Value) || double.IsInfinity(crit.Value))
                {
                    Error($"{cp}.value", "expected a finite number", crit.Line);
                }
                if (crit.For < TimeSpan.Zero)
                {
                    Error($"{cp}.for", "expected a duration of at least 0s", crit.Line);
                }
            }
        }
        foreach (var (where, metrics) in new[] { ("traffic.metrics", plan.Traffic.Metrics), ("traffic.v1.metrics", plan.Traffic.V1.Metrics), ("traffic.v2.metrics", plan.Traffic.V2.Metrics) })
        {
            foreach (var name in metrics.Keys.Where(Detection.SampleMetrics.Fixed.Contains))
            {
                Error($"{where}.{name}", $"'{name}' is a field every run has (set it under traffic.v1 / traffic.v2 or inject it), not an application metric");
            }
        }
        if (plan.Policy is not null && plan.RollbackTriggers.Count > 0)
        {
            Error("policy", "a plan takes its detector policy from 'policy' or from 'rollback_triggers', not both: put the triggers' checks into the policy file", plan.RollbackTriggers[0].Line);
        }
        for (var t = 0; t < plan.RollbackTriggers.Count; t++)
        {
            var trig = plan.RollbackTriggers[t];
            var tp = $"rollback_triggers[{t}]";
            if (!Checks.Contains(trig.Check))
            {
                Error($"{tp}.check", $"unknown detector check '{trig.Check}' (expected one of {string.Join(", ", Checks)})", trig.Line);
            }
            if (trig.Threshold is { } th && (double.IsNaN(th) || th < 0))
            {
                Error($"{tp}.threshold", "expected a threshold of at least 0", trig.Line);
            }
            if (trig.Action is { } a && !Actions.Contains(a))
            {
                Error($"{tp}.action", $"unknown action '{a}' (expected one of {string.Join(", ", Actions)})", trig.Line);
            }
            if (trig.Sustained is { } s && s < TimeSpan.Zero)
            {
                Error($"{tp}.sustained", "expected a duration of at least 0s", trig.Line);
            }
        }
        return errors;
    }

    /// <summary>Throws <see cref="PlanValidationException"/> with every problem when the plan is invalid.</summary>
    public static void EnsureValid(RolloutPlan plan, IReadOnlyDictionary<string, int>? lines = null)
    {
        var errors = Validate(plan, lines);
        if (errors.Count > 0)
        {
            throw new PlanValidationException(errors);
        }
    }

    private static void ValidateEngine(EngineBaseline e, string at, Action<string, string, int> error)
    {
        if (!(e.LatencyP50Ms > 0))
        {
            error($"{at}.latency_p50_ms", "expected a positive latency in ms", 0);
        }
        if (e.LatencySigma is < 0 or > 3 || double.IsNaN(e.LatencySigma))
        {
            error($"{at}.latency_sigma", "expected a spread between 0 and 3", 0);
        }
        if (e.Quality is < 0 or > 100 || double.IsNaN(e.Quality))
        {
            error($"{at}.quality", "expected a quality between 0 and 100", 0);
        }
        if (e.CostCents < 0 || double.IsNaN(e.CostCents))
        {
            error($"{at}.cost_cents", "expected a cost of at least 0", 0);
        }
        foreach (var (name, v) in new[] { ("error_rate", e.ErrorRate), ("policy_violation_rate", e.PolicyViolationRate), ("complaint_rate", e.ComplaintRate), ("divergence", e.Divergence) })
        {
            if (v is < 0 or > 1 || double.IsNaN(v))
            {
                error($"{at}.{name}", "expected a probability between 0 and 1", 0);
            }
        }
    }

    private static int LineOf(IReadOnlyDictionary<string, int>? lines, string path, int fallback)
    {
        if (lines is null)
        {
            return fallback;
        }
        // The field's own line, else the nearest enclosing object's line.
        for (var p = path; p.Length > 0;)
        {
            if (lines.TryGetValue(p, out var line))
            {
                return line;
            }
            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut <= 0 ? "" : p[..cut];
        }
        return fallback;
    }

    private static string Fmt(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
