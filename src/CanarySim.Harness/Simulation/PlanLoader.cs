using System.Globalization;
using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// Loads a rollout plan from YAML (<c>.yaml</c>/<c>.yml</c>) or JSON (<c>.json</c>) — the format of
/// <c>fixtures/plans/schema/plan.v1.schema.json</c> — and validates it. Every problem is reported at once,
/// each naming the file, line, field and what was expected (<see cref="PlanValidationException"/>).
/// Unknown fields are errors (a typo must not silently fall back to a default).
/// </summary>
public static class PlanLoader
{
    /// <summary>Loads and validates a plan file.</summary>
    public static LoadedPlan Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new PlanValidationException([new PlanValidationError(path, 0, "", "plan file not found")]);
        }
        return Parse(File.ReadAllText(path), path, IsJson(path));
    }

    /// <summary>Whether a path names a JSON plan (by extension).</summary>
    public static bool IsJson(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses and validates plan text.</summary>
    /// <param name="text">YAML or JSON text.</param>
    /// <param name="source">File name for messages.</param>
    /// <param name="json">True for JSON, false for YAML.</param>
    public static LoadedPlan Parse(string text, string source, bool json = false)
    {
        var root = PlanDocumentReader.Read(text, source, json);
        var binder = new Binder(source);
        var plan = binder.BindPlan(root);
        var errors = new List<PlanValidationError>(binder.Errors);
        if (plan is not null)
        {
            plan = plan with { Source = source };
            // Semantic checks only on fields that parsed; shape errors come first.
            errors.AddRange(PlanValidator.Validate(plan, binder.Lines).Where(e => !binder.Failed.Contains(e.Path)));
        }
        if (errors.Count > 0)
        {
            throw new PlanValidationException(errors.OrderBy(e => e.Line).ToList());
        }
        return new LoadedPlan(plan!, binder.Lines);
    }

    private sealed class Binder(string source)
    {
        public List<PlanValidationError> Errors { get; } = [];
        public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Failed { get; } = new(StringComparer.Ordinal);

        private void Error(PlanNode node, string path, string message)
        {
            Failed.Add(path);
            Errors.Add(new PlanValidationError(source, node.Line, path, message));
        }

        private Dictionary<string, (PlanNode Node, string Path)>? Map(PlanNode node, string path, string[] allowed)
        {
            if (node.Kind != PlanNode.NodeKind.Map)
            {
                Error(node, path, $"expected a mapping, got {node.Describe()}");
                return null;
            }
            var result = new Dictionary<string, (PlanNode, string)>(StringComparer.Ordinal);
            foreach (var (key, keyLine, value) in node.Entries)
            {
                var p = path.Length == 0 ? key : $"{path}.{key}";
                Lines[p] = keyLine;
                if (!allowed.Contains(key))
                {
                    Errors.Add(new PlanValidationError(source, keyLine, p, $"unknown field '{key}'" + FieldHint.For(key, allowed)));
                    continue;
                }
                if (!result.TryAdd(key, (value, p)))
                {
                    Errors.Add(new PlanValidationError(source, keyLine, p, $"duplicate field '{key}'"));
                }
            }
            return result;
        }

        private string? Str(Dictionary<string, (PlanNode Node, string Path)> m, string key)
        {
            if (!m.TryGetValue(key, out var e) || e.Node.Kind == PlanNode.NodeKind.Null)
            {
                return null;
            }
            if (e.Node.Kind != PlanNode.NodeKind.Scalar)
            {
                Error(e.Node, e.Path, $"expected text, got {e.Node.Describe()}");
                return null;
            }
            return e.Node.Text;
        }

        private double? Num(Dictionary<string, (PlanNode Node, string Path)> m, string key, bool allowPercent = false)
        {
            var text = Str(m, key);
            if (text is null)
            {
                return null;
            }
            var t = text.Trim();
            if (allowPercent && t.EndsWith('%'))
            {
                t = t[..^1].Trim();
            }
            t = t.Replace("_", "", StringComparison.Ordinal);
            if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v) && !double.IsInfinity(v))
            {
                return v;
            }
            var e = m[key];
            Error(e.Node, e.Path, $"expected a number, got '{text}'");
            return null;
        }

        private long? Long(Dictionary<string, (PlanNode Node, string Path)> m, string key)
        {
            var v = Num(m, key);
            if (v is null)
            {
                return null;
            }
            if (v != Math.Floor(v.Value))
            {
                var e = m[key];
                Error(e.Node, e.Path, $"expected a whole number, got '{e.Node.Text}'");
                return null;
            }
            return (long)v.Value;
        }

        private bool? Bool(Dictionary<string, (PlanNode Node, string Path)> m, string key)
        {
            var text = Str(m, key);
            if (text is null)
            {
                return null;
            }
            switch (text.Trim().ToLowerInvariant())
            {
                case "true" or "yes" or "on": return true;
                case "false" or "no" or "off": return false;
            }
            var e = m[key];
            Error(e.Node, e.Path, $"expected true or false, got '{text}'");
            return null;
        }

        private TimeSpan? Dur(Dictionary<string, (PlanNode Node, string Path)> m, string key)
        {
            var text = Str(m, key);
            if (text is null)
            {
                return null;
            }
            if (PlanDuration.TryParse(text, out var d, out var why))
            {
                return d;
            }
            var e = m[key];
            Error(e.Node, e.Path, why);
            return null;
        }

        private List<string>? Strings(Dictionary<string, (PlanNode Node, string Path)> m, string key)
        {
            if (!m.TryGetValue(key, out var e) || e.Node.Kind == PlanNode.NodeKind.Null)
            {
                return null;
            }
            if (e.Node.Kind != PlanNode.NodeKind.Seq)
            {
                Error(e.Node, e.Path, $"expected a list, got {e.Node.Describe()}");
                return null;
            }
            var list = new List<string>();
            for (var i = 0; i < e.Node.Items.Count; i++)
            {
                var item = e.Node.Items[i];
                Lines[$"{e.Path}[{i}]"] = item.Line;
                if (item.Kind != PlanNode.NodeKind.Scalar)
                {
                    Error(item, $"{e.Path}[{i}]", $"expected text, got {item.Describe()}");
                    continue;
                }
                list.Add(item.Text);
            }
            return list;
        }

        private IEnumerable<(PlanNode Node, string Path)> Items(Dictionary<string, (PlanNode Node, string Path)> m, string key)
        {
            if (!m.TryGetValue(key, out var e) || e.Node.Kind == PlanNode.NodeKind.Null)
            {
                yield break;
            }
            if (e.Node.Kind != PlanNode.NodeKind.Seq)
            {
                Error(e.Node, e.Path, $"expected a list, got {e.Node.Describe()}");
                yield break;
            }
            for (var i = 0; i < e.Node.Items.Count; i++)
            {
                var p = $"{e.Path}[{i}]";
                Lines[p] = e.Node.Items[i].Line;
                yield return (e.Node.Items[i], p);
            }
        }

        private Dictionary<string, (PlanNode Node, string Path)>? Sub(Dictionary<string, (PlanNode Node, string Path)> m, string key, string[] allowed)
        {
            if (!m.TryGetValue(key, out var e) || e.Node.Kind == PlanNode.NodeKind.Null)
            {
                return null;
            }
            return Map(e.Node, e.Path, allowed);
        }

        private void Require(Dictionary<string, (PlanNode Node, string Path)> m, PlanNode owner, string path, string key)
        {
            if (!m.ContainsKey(key))
            {
                Error(owner, path.Length == 0 ? key : $"{path}.{key}", $"missing required field '{key}'");
            }
        }

        public RolloutPlan? BindPlan(PlanNode root)
        {
            var m = Map(root, "", ["schema", "name", "title", "description", "scope", "start", "duration", "salt", "phase", "evaluation", "evidence", "traffic", "progression", "stages", "rollback_triggers", "inject"]);
            if (m is null)
            {
                return null;
            }
            Require(m, root, "", "name");
            Require(m, root, "", "duration");
            Require(m, root, "", "stages");
            var plan = new RolloutPlan { Name = Str(m, "name") ?? "", Duration = Dur(m, "duration") ?? TimeSpan.FromDays(1), Stages = [] };
            plan = plan with
            {
                Schema = Str(m, "schema") ?? RolloutPlan.SchemaId,
                Title = Str(m, "title") ?? plan.Name,
                Description = Str(m, "description") ?? "",
                Scope = Str(m, "scope") ?? "",
                Salt = Str(m, "salt") ?? plan.Salt,
                Phase = Str(m, "phase") ?? "",
                Inject = Strings(m, "inject") ?? [],
            };
            if (Str(m, "start") is { } start)
            {
                if (DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var s))
                {
                    plan = plan with { Start = s };
                }
                else
                {
                    Error(m["start"].Node, "start", $"expected an ISO-8601 time such as 2026-02-16T00:00:00Z, got '{start}'");
                }
            }
            if (Sub(m, "evaluation", ["interval"]) is { } ev && Dur(ev, "interval") is { } iv)
            {
                plan = plan with { EvaluationInterval = iv };
            }
            if (Sub(m, "evidence", ["window"]) is { } evd && Dur(evd, "window") is { } w)
            {
                plan = plan with { EvidenceWindow = w };
            }
            if (Sub(m, "traffic", ["requests", "profile", "sessions", "unkeyed_share", "agents", "v1", "v2"]) is { } t)
            {
                var traffic = plan.Traffic;
                traffic = traffic with
                {
                    Requests = Long(t, "requests") ?? traffic.Requests,
                    Profile = Str(t, "profile") ?? traffic.Profile,
                    Sessions = (int)(Long(t, "sessions") ?? traffic.Sessions),
                    UnkeyedShare = Num(t, "unkeyed_share") ?? traffic.UnkeyedShare,
                    Agents = Strings(t, "agents") ?? traffic.Agents,
                    V1 = Engine(t, "v1", traffic.V1),
                    V2 = Engine(t, "v2", traffic.V2),
                };
                plan = plan with { Traffic = traffic };
            }
            if (Sub(m, "progression", ["healthy_evaluations", "max_divergence", "slow_down_factor", "staged_rollback", "diff_sample_rate", "min_diffs_for_divergence"]) is { } p)
            {
                var pr = plan.Progression;
                plan = plan with
                {
                    Progression = pr with
                    {
                        HealthyEvaluations = (int)(Long(p, "healthy_evaluations") ?? pr.HealthyEvaluations),
                        MaxDivergence = Num(p, "max_divergence") ?? pr.MaxDivergence,
                        SlowDownFactor = Num(p, "slow_down_factor") ?? pr.SlowDownFactor,
                        StagedRollback = Bool(p, "staged_rollback") ?? pr.StagedRollback,
                        DiffSampleRate = Num(p, "diff_sample_rate") ?? pr.DiffSampleRate,
                        MinDiffsForDivergence = (int)(Long(p, "min_diffs_for_divergence") ?? pr.MinDiffsForDivergence),
                    },
                };
            }
            var stages = new List<PlanStage>();
            foreach (var (node, path) in Items(m, "stages"))
            {
                if (BindStage(node, path) is { } st)
                {
                    stages.Add(st);
                }
            }
            var triggers = new List<RollbackTrigger>();
            foreach (var (node, path) in Items(m, "rollback_triggers"))
            {
                var tm = Map(node, path, ["check", "threshold", "sustained", "action"]);
                if (tm is null)
                {
                    continue;
                }
                Require(tm, node, path, "check");
                triggers.Add(new RollbackTrigger
                {
                    Check = Str(tm, "check") ?? "",
                    Threshold = Num(tm, "threshold", allowPercent: false),
                    Sustained = Dur(tm, "sustained"),
                    Action = Str(tm, "action"),
                    Line = node.Line,
                });
            }
            return plan with { Stages = stages, RollbackTriggers = triggers };
        }

        private EngineBaseline Engine(Dictionary<string, (PlanNode Node, string Path)> t, string key, EngineBaseline d)
        {
            if (Sub(t, key, ["latency_p50_ms", "latency_sigma", "quality", "quality_sd", "cost_cents", "error_rate", "policy_violation_rate", "complaint_rate", "divergence", "tokens"]) is not { } e)
            {
                return d;
            }
            return d with
            {
                LatencyP50Ms = Num(e, "latency_p50_ms") ?? d.LatencyP50Ms,
                LatencySigma = Num(e, "latency_sigma") ?? d.LatencySigma,
                Quality = Num(e, "quality") ?? d.Quality,
                QualitySd = Num(e, "quality_sd") ?? d.QualitySd,
                CostCents = Num(e, "cost_cents") ?? d.CostCents,
                ErrorRate = Num(e, "error_rate") ?? d.ErrorRate,
                PolicyViolationRate = Num(e, "policy_violation_rate") ?? d.PolicyViolationRate,
                ComplaintRate = Num(e, "complaint_rate") ?? d.ComplaintRate,
                Divergence = Num(e, "divergence") ?? d.Divergence,
                Tokens = (int)(Long(e, "tokens") ?? d.Tokens),
            };
        }

        private PlanStage? BindStage(PlanNode node, string path)
        {
            var m = Map(node, path, ["name", "kind", "percent", "min_hold", "description", "gates", "exit_criteria"]);
            if (m is null)
            {
                return null;
            }
            Require(m, node, path, "name");
            Require(m, node, path, "percent");
            var percent = Num(m, "percent", allowPercent: true);
            var kindText = Str(m, "kind");
            StageKind kind;
            if (kindText is null)
            {
                kind = percent is 0 ? StageKind.Shadow : percent is <= 5 ? StageKind.Canary : StageKind.Progressive;
            }
            else if (!StageKindNames.TryParse(kindText, out kind))
            {
                Error(m["kind"].Node, m["kind"].Path, $"expected shadow, canary or progressive, got '{kindText}'");
            }
            var gates = new List<PlanGate>();
            foreach (var (g, gp) in Items(m, "gates"))
            {
                if (BindGate(g, gp) is { } gate)
                {
                    gates.Add(gate);
                }
            }
            var criteria = new List<ExitCriterion>();
            foreach (var (c, cp) in Items(m, "exit_criteria"))
            {
                if (BindCriterion(c, cp) is { } crit)
                {
                    criteria.Add(crit);
                }
            }
            return new PlanStage
            {
                Name = Str(m, "name") ?? "",
                Kind = kind,
                Percent = percent ?? 0,
                MinHold = Dur(m, "min_hold") ?? TimeSpan.Zero,
                Description = Str(m, "description") ?? "",
                Gates = gates,
                ExitCriteria = criteria,
                Line = node.Line,
            };
        }

        private PlanGate? BindGate(PlanNode node, string path)
        {
            if (node.Kind == PlanNode.NodeKind.Scalar)
            {
                if (GateKindNames.TryParse(node.Text, out var k))
                {
                    if (k == GateKind.ReleaseGate)
                    {
                        Error(node, path, "a release gate needs its artifacts: write it as a mapping with 'kind: release_gate' and 'artifacts: [...]'");
                        return null;
                    }
                    return new PlanGate { Kind = k, Line = node.Line };
                }
                Error(node, path, $"expected a gate kind (detector, manual_approval, release_gate, rollback_rehearsal), got '{node.Text}'");
                return null;
            }
            var m = Map(node, path, ["kind", "approver", "artifacts", "stage", "latency_p95_sla_ms", "baseline_correction_rate", "smoke"]);
            if (m is null)
            {
                return null;
            }
            Require(m, node, path, "kind");
            var kindText = Str(m, "kind");
            if (kindText is null)
            {
                return null;
            }
            if (!GateKindNames.TryParse(kindText, out var kind))
            {
                Error(m["kind"].Node, m["kind"].Path, $"expected detector, manual_approval, release_gate or rollback_rehearsal, got '{kindText}'");
                return null;
            }
            var gate = new PlanGate { Kind = kind, Line = node.Line };
            return gate with
            {
                Approver = Str(m, "approver") ?? gate.Approver,
                Artifacts = Strings(m, "artifacts") ?? gate.Artifacts,
                GateStage = Long(m, "stage") is { } s ? (int)s : null,
                LatencyP95SlaMs = Num(m, "latency_p95_sla_ms") ?? gate.LatencyP95SlaMs,
                BaselineCorrectionRate = Num(m, "baseline_correction_rate"),
                Smoke = Strings(m, "smoke") ?? gate.Smoke,
            };
        }

        private ExitCriterion? BindCriterion(PlanNode node, string path)
        {
            if (node.Kind == PlanNode.NodeKind.Scalar)
            {
                // Short form: "p95_latency_ms < 2000 for 48h"
                var parts = node.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length is 3 or 5 && double.TryParse(parts[2].TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    && (parts.Length == 3 || parts[3] == "for"))
                {
                    var forDur = TimeSpan.Zero;
                    if (parts.Length == 5 && !PlanDuration.TryParse(parts[4], out forDur, out var why))
                    {
                        Error(node, path, why);
                        return null;
                    }
                    return new ExitCriterion { Metric = parts[0], Op = parts[1], Value = value, For = forDur, Line = node.Line };
                }
                Error(node, path, $"expected '<metric> <op> <value> [for <duration>]' such as 'p95_latency_ms < 2000 for 48h', got '{node.Text}'");
                return null;
            }
            var m = Map(node, path, ["metric", "op", "value", "for"]);
            if (m is null)
            {
                return null;
            }
            Require(m, node, path, "metric");
            Require(m, node, path, "op");
            Require(m, node, path, "value");
            return new ExitCriterion
            {
                Metric = Str(m, "metric") ?? "",
                Op = Str(m, "op") ?? "",
                Value = Num(m, "value") ?? 0,
                For = Dur(m, "for") ?? TimeSpan.Zero,
                Line = node.Line,
            };
        }
    }
}
