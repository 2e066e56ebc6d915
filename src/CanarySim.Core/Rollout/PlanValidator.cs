using System.Globalization;
using CanarySim.Core.Gating;

namespace CanarySim.Core.Rollout;

/// <summary>
/// Checks a plan's meaning: rules across fields (percentages rising, a shadow stage first and at 0 %, unique stage
/// names, a rollback rehearsal before 100 %, a release gate on one of the gate's stages, the evidence window no shorter
/// than the evaluation interval), durations that make sense, and — for plans built in code, which never pass through
/// the schema — every value rule the published schema states (ranges, whole numbers, enumerations), read from the
/// schema itself (<see cref="PlanSchema.Refuses"/>), so each such rule is written once, in the schema, and a
/// code-built plan gets the message a plan file gets. Every error names the file, line and field.
/// </summary>
public static class PlanValidator
{
    /// <summary>The stages a release gate can judge: the gate's one ladder (<see cref="GateOptions.Stages"/>).</summary>
    private static readonly IReadOnlyList<int> ReleaseGateStages = new GateOptions().Stages;

    /// <summary>Every problem found (empty when the plan is valid).</summary>
    /// <param name="plan">A plan loaded from a file or built in code; its value rules are read from the published schema.</param>
    /// <param name="lines">Field path → line, as recorded by the loader (optional).</param>
    public static IReadOnlyList<PlanValidationError> Validate(RolloutPlan plan, IReadOnlyDictionary<string, int>? lines = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<PlanValidationError>();
        void Error(string path, string message, int fallbackLine = 0) =>
            errors.Add(new PlanValidationError(plan.Source, LineOf(lines, path, fallbackLine), path, message));
        // A value rule of the schema; field is the schema's path of the value ([] for any item).
        bool Rule(string path, string field, object value, int fallbackLine = 0)
        {
            var message = PlanSchema.Refuses(field, value);
            if (message is not null)
            {
                Error(path, message, fallbackLine);
            }
            return message is null;
        }

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
        Rule("traffic.requests", "traffic.requests", plan.Traffic.Requests);
        Rule("traffic.sessions", "traffic.sessions", plan.Traffic.Sessions);
        Rule("traffic.profile", "traffic.profile", plan.Traffic.Profile);
        Rule("traffic.unkeyed_share", "traffic.unkeyed_share", plan.Traffic.UnkeyedShare);
        if (plan.Traffic.Agents.Count == 0)
        {
            Error("traffic.agents", "expected at least one agent type");
        }
        foreach (var (at, e) in new[] { ("traffic.v1", plan.Traffic.V1), ("traffic.v2", plan.Traffic.V2) })
        {
            foreach (var (name, value) in EngineValues(e))
            {
                Rule($"{at}.{name}", $"{at}.{name}", value);
            }
        }
        var p = plan.Progression;
        Rule("progression.healthy_evaluations", "progression.healthy_evaluations", p.HealthyEvaluations);
        Rule("progression.max_divergence", "progression.max_divergence", p.MaxDivergence);
        Rule("progression.slow_down_factor", "progression.slow_down_factor", p.SlowDownFactor);
        Rule("progression.diff_sample_rate", "progression.diff_sample_rate", p.DiffSampleRate);
        Rule("progression.min_diffs_for_divergence", "progression.min_diffs_for_divergence", p.MinDiffsForDivergence);

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
            if (Rule($"{at}.percent", "stages[].percent", stage.Percent, stage.Line))
            {
                if (stage.Kind == StageKind.Shadow && stage.Percent != 0)
                {
                    Error($"{at}.percent", $"a shadow stage serves 0 % on v2, got {Fmt(stage.Percent)}", stage.Line);
                }
                if (stage.Kind != StageKind.Shadow && stage.Percent == 0)
                {
                    Error($"{at}.percent", $"a {WireName.Of(stage.Kind)} stage needs a percentage above 0 (use kind: shadow for 0 %)", stage.Line);
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
                        Rule($"{gp}.latency_p95_sla_ms", "stages[].gates[].latency_p95_sla_ms", gate.LatencyP95SlaMs, gate.Line);
                        if (gate.BaselineCorrectionRate is { } b)
                        {
                            Rule($"{gp}.baseline_correction_rate", "stages[].gates[].baseline_correction_rate", b, gate.Line);
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
                Rule($"{cp}.metric", "stages[].exit_criteria[].metric", crit.Metric, crit.Line);
                Rule($"{cp}.op", "stages[].exit_criteria[].op", crit.Op, crit.Line);
                Rule($"{cp}.value", "stages[].exit_criteria[].value", crit.Value, crit.Line);
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
            Rule($"{tp}.check", "rollback_triggers[].check", trig.Check, trig.Line);
            if (trig.Threshold is { } th)
            {
                Rule($"{tp}.threshold", "rollback_triggers[].threshold", th, trig.Line);
            }
            if (trig.Action is { } a)
            {
                Rule($"{tp}.action", "rollback_triggers[].action", a, trig.Line);
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

    // The engine baseline's fields, by their plan names.
    private static (string Name, object Value)[] EngineValues(EngineBaseline e) =>
    [
        ("latency_p50_ms", e.LatencyP50Ms), ("latency_sigma", e.LatencySigma), ("quality", e.Quality), ("quality_sd", e.QualitySd),
        ("cost_cents", e.CostCents), ("error_rate", e.ErrorRate), ("policy_violation_rate", e.PolicyViolationRate),
        ("complaint_rate", e.ComplaintRate), ("divergence", e.Divergence), ("tokens", e.Tokens),
    ];

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
