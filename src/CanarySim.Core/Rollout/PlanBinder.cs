using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CanarySim.Core.Rollout;

/// <summary>
/// Turns a plan document that passed (or mostly passed) the schema into the typed <see cref="RolloutPlan"/>. The schema
/// owns shape and ranges, so a value of the wrong type is skipped here (the schema already named it); this binder
/// only reads what text cannot express as JSON types: durations, the start time and short-form exit criteria.
/// </summary>
internal sealed class PlanBinder(PlanDocument doc)
{
    public List<PlanValidationError> Errors { get; } = [];

    public RolloutPlan Bind()
    {
        var root = doc.Root as JsonObject ?? [];
        var name = Text(root, "name") ?? "";
        var plan = new RolloutPlan { Name = name, Duration = Duration(root, "duration", "duration") ?? TimeSpan.FromDays(1), Stages = [], Source = doc.Source };
        plan = plan with
        {
            Schema = Text(root, "schema") ?? RolloutPlan.SchemaId,
            Title = Text(root, "title") ?? name,
            Description = Text(root, "description") ?? "",
            Scope = Text(root, "scope") ?? "",
            Salt = Text(root, "salt") ?? plan.Salt,
            Phase = Text(root, "phase") ?? "",
            Inject = Texts(root, "inject") ?? [],
            Policy = Text(root, "policy"),
            Start = Start(root) ?? plan.Start,
            EvaluationInterval = Duration(root["evaluation"] as JsonObject, "interval", "evaluation.interval") ?? plan.EvaluationInterval,
            EvidenceWindow = Duration(root["evidence"] as JsonObject, "window", "evidence.window") ?? plan.EvidenceWindow,
            AppLog = Flag(root["evidence"] as JsonObject, "app_log") ?? false,
            RollbackProcedure = Flag(root["evidence"] as JsonObject, "rollback_procedure") ?? false,
            Traffic = Traffic(root["traffic"] as JsonObject, plan.Traffic),
            Progression = Progression(root["progression"] as JsonObject, plan.Progression),
            Stages = Items(root, "stages").Select(i => Stage(i.Node, i.Path)).OfType<PlanStage>().ToList(),
            RollbackTriggers = Items(root, "rollback_triggers").Select(i => Trigger(i.Node, i.Path)).OfType<RollbackTrigger>().ToList(),
        };
        return plan;
    }

    private void Error(string path, string message) => Errors.Add(new PlanValidationError(doc.Source, doc.LineOf(path), path, message));

    private static string? Text(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static double? Number(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;

    private static long? Whole(JsonObject? o, string key) => Number(o, key) is { } d && d == Math.Floor(d) ? (long)d : null;

    private static bool? Flag(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    private static List<string>? Texts(JsonObject? o, string key) =>
        o?[key] is JsonArray a ? a.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList() : null;

    private static IEnumerable<(JsonNode Node, string Path)> Items(JsonObject o, string key) =>
        o[key] is JsonArray a ? a.Select((n, i) => (n!, $"{key}[{i}]")).Where(i => i.Item1 is not null) : [];

    private TimeSpan? Duration(JsonObject? o, string key, string path)
    {
        if (Text(o, key) is not { } text)
        {
            return null;
        }
        if (PlanDuration.TryParse(text, out var d, out var why))
        {
            return d;
        }
        Error(path, why);
        return null;
    }

    private DateTimeOffset? Start(JsonObject root)
    {
        if (Text(root, "start") is not { } start)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var s))
        {
            return s;
        }
        Error("start", $"expected an ISO-8601 time such as 2026-02-16T00:00:00Z, got '{start}'");
        return null;
    }

    private static PlanTraffic Traffic(JsonObject? t, PlanTraffic d) => t is null ? d : d with
    {
        Requests = Whole(t, "requests") ?? d.Requests,
        Profile = Text(t, "profile") ?? d.Profile,
        Sessions = (int)(Whole(t, "sessions") ?? d.Sessions),
        UnkeyedShare = Number(t, "unkeyed_share") ?? d.UnkeyedShare,
        Agents = Texts(t, "agents") ?? d.Agents,
        Metrics = Metrics(t["metrics"] as JsonObject) ?? d.Metrics,
        V1 = Engine(t["v1"] as JsonObject, d.V1),
        V2 = Engine(t["v2"] as JsonObject, d.V2),
    };

    private static EngineBaseline Engine(JsonObject? e, EngineBaseline d) => e is null ? d : d with
    {
        LatencyP50Ms = Number(e, "latency_p50_ms") ?? d.LatencyP50Ms,
        LatencySigma = Number(e, "latency_sigma") ?? d.LatencySigma,
        Quality = Number(e, "quality") ?? d.Quality,
        QualitySd = Number(e, "quality_sd") ?? d.QualitySd,
        CostCents = Number(e, "cost_cents") ?? d.CostCents,
        ErrorRate = Number(e, "error_rate") ?? d.ErrorRate,
        PolicyViolationRate = Number(e, "policy_violation_rate") ?? d.PolicyViolationRate,
        ComplaintRate = Number(e, "complaint_rate") ?? d.ComplaintRate,
        Divergence = Number(e, "divergence") ?? d.Divergence,
        Tokens = (int)(Whole(e, "tokens") ?? d.Tokens),
        Metrics = Metrics(e["metrics"] as JsonObject) ?? d.Metrics,
    };

    private static Dictionary<string, PlanMetric>? Metrics(JsonObject? o) => o?
        .Where(p => p.Value is JsonObject)
        .ToDictionary(p => p.Key, p => Metric((JsonObject)p.Value!), StringComparer.Ordinal);

    private static PlanMetric Metric(JsonObject m) => new()
    {
        Share = Number(m, "share") ?? 1,
        Value = Number(m, "value") ?? 1,
        Sd = Number(m, "sd") ?? 0,
        Agent = Text(m, "agent"),
    };

    private static ProgressionOptions Progression(JsonObject? p, ProgressionOptions d) => p is null ? d : d with
    {
        HealthyEvaluations = (int)(Whole(p, "healthy_evaluations") ?? d.HealthyEvaluations),
        MaxDivergence = Number(p, "max_divergence") ?? d.MaxDivergence,
        SlowDownFactor = Number(p, "slow_down_factor") ?? d.SlowDownFactor,
        StagedRollback = Flag(p, "staged_rollback") ?? d.StagedRollback,
        DiffSampleRate = Number(p, "diff_sample_rate") ?? d.DiffSampleRate,
        MinDiffsForDivergence = (int)(Whole(p, "min_diffs_for_divergence") ?? d.MinDiffsForDivergence),
    };

    private PlanStage? Stage(JsonNode node, string path)
    {
        if (node is not JsonObject m)
        {
            return null;
        }
        var percent = Number(m, "percent") ?? Percent(Text(m, "percent"));
        var kind = WireName.TryParseIgnoreCase<StageKind>(Text(m, "kind"), out var k) ? k
            : percent is 0 ? StageKind.Shadow : percent is <= 5 ? StageKind.Canary : StageKind.Progressive;
        return new PlanStage
        {
            Name = Text(m, "name") ?? "",
            Kind = kind,
            Percent = percent ?? 0,
            MinHold = Duration(m, "min_hold", $"{path}.min_hold") ?? TimeSpan.Zero,
            Description = Text(m, "description") ?? "",
            Gates = Items(m, "gates").Select(g => Gate(g.Node, $"{path}.{g.Path}")).OfType<PlanGate>().ToList(),
            ExitCriteria = Items(m, "exit_criteria").Select(c => Criterion(c.Node, $"{path}.{c.Path}")).OfType<ExitCriterion>().ToList(),
            Line = doc.LineOf(path),
        };
    }

    private static double? Percent(string? text) =>
        text is not null && double.TryParse(text.Trim().TrimEnd('%').Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private PlanGate? Gate(JsonNode node, string path)
    {
        var line = doc.LineOf(path);
        if (node is JsonValue v && v.TryGetValue<string>(out var text))
        {
            return WireName.TryParseIgnoreCase<GateKind>(text, out var kind) && kind != GateKind.ReleaseGate ? new PlanGate { Kind = kind, Line = line } : null;
        }
        if (node is not JsonObject m || !WireName.TryParseIgnoreCase<GateKind>(Text(m, "kind"), out var k))
        {
            return null;
        }
        var gate = new PlanGate { Kind = k, Line = line };
        return gate with
        {
            Approver = Text(m, "approver") ?? gate.Approver,
            Artifacts = Texts(m, "artifacts") ?? gate.Artifacts,
            GateStage = Whole(m, "stage") is { } s ? (int)s : null,
            LatencyP95SlaMs = Number(m, "latency_p95_sla_ms") ?? gate.LatencyP95SlaMs,
            BaselineCorrectionRate = Number(m, "baseline_correction_rate"),
            Smoke = Texts(m, "smoke") ?? gate.Smoke,
        };
    }

    private ExitCriterion? Criterion(JsonNode node, string path)
    {
        var line = doc.LineOf(path);
        if (node is JsonValue v && v.TryGetValue<string>(out var text))
        {
            // Short form: "p95_latency_ms < 2000 for 48h"
            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 3 or 5 && double.TryParse(parts[2].TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && (parts.Length == 3 || parts[3] == "for"))
            {
                var forDur = TimeSpan.Zero;
                if (parts.Length == 5 && !PlanDuration.TryParse(parts[4], out forDur, out var why))
                {
                    Error(path, why);
                    return null;
                }
                return new ExitCriterion { Metric = parts[0], Op = parts[1], Value = value, For = forDur, Line = line };
            }
            Error(path, $"expected '<metric> <op> <value> [for <duration>]' such as 'p95_latency_ms < 2000 for 48h', got '{text}'");
            return null;
        }
        if (node is not JsonObject m || Text(m, "metric") is not { } metric || Text(m, "op") is not { } op || Number(m, "value") is not { } target)
        {
            return null;
        }
        return new ExitCriterion { Metric = metric, Op = op, Value = target, For = Duration(m, "for", $"{path}.for") ?? TimeSpan.Zero, Line = line };
    }

    private RollbackTrigger? Trigger(JsonNode node, string path)
    {
        if (node is not JsonObject m || Text(m, "check") is not { } check)
        {
            return null;
        }
        return new RollbackTrigger
        {
            Check = check,
            Threshold = Number(m, "threshold"),
            Sustained = Duration(m, "sustained", $"{path}.sustained"),
            Action = Text(m, "action"),
            Line = doc.LineOf(path),
        };
    }
}
