using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Audit;
using CanarySim.Core.Gating;
using CanarySim.Core.Rollout;

namespace CanarySim.Service.Rollout;

/// <summary>
/// The raw UAT artifacts posted for a live plan's release gates (<c>POST /guard/rollout/artifacts</c>), stored as
/// <c>rollout_artifacts</c> events of the audit log (so every instance of a fleet and a restarted service see them), and the
/// gate reports judged over them, stored as <c>release_gate</c> events holding the report JSON <c>canarysim gate</c> writes.
/// Artifacts are read by Core's <see cref="UatArtifactReader"/> and judged by Core's <see cref="ReleaseGate"/>: the same
/// format, rules and report as the CLI and the simulator.
/// </summary>
public sealed class RolloutArtifacts(IAuditSink sink, IAuditReader reader, TimeProvider time)
{
    /// <summary>The audit event type of a posted artifact set.</summary>
    public const string EventType = "rollout_artifacts";

    /// <summary>The audit event type of a release gate report judged live.</summary>
    public const string ReportEventType = "release_gate";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The audit log the reports (and a live rehearsal's evidence) are written to.</summary>
    internal IAuditSink Audit => sink;

    /// <summary>How many of the latest events are searched.</summary>
    public int Depth { get; init; } = 10_000;

    /// <summary>
    /// Reads every artifact (each must be a valid <c>canarysim.uat-raw/v1</c> document) and checks that the set can be judged by
    /// every release gate of <paramref name="stage"/>; returns the set, named by run id.
    /// </summary>
    /// <exception cref="UatArtifactException">An artifact is not valid (the message names <c>artifacts[i]</c>, the case and the field).</exception>
    /// <exception cref="ArgumentException">No artifact was given, or a gate's request is invalid.</exception>
    public PostedArtifacts Read(string plan, PlanStage stage, IReadOnlyList<JsonElement> raws, string actor)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(raws);
        if (raws.Count == 0)
        {
            throw new ArgumentException("at least one raw artifact is required", "artifacts");
        }
        var named = new List<PostedArtifact>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < raws.Count; i++)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(raws[i]);
            var (header, _) = UatArtifactReader.ReadAll(new MemoryStream(bytes, writable: false), $"artifacts[{i}]");
            var name = header.RunId is { Length: > 0 } run ? run : $"artifact-{i + 1}";
            for (var n = 2; !names.Add(name); n++)
            {
                name = $"{header.RunId}#{n}";
            }
            named.Add(new PostedArtifact(name, raws[i].Clone()));
        }
        var set = new PostedArtifacts { Plan = plan, Stage = stage.Name, Actor = actor, At = time.GetUtcNow(), Artifacts = named };
        var scorer = new FirstRunScorer();
        foreach (var input in Inputs(set))
        {
            scorer.Add(input);
        }
        foreach (var gate in stage.Gates.Where(g => g.Kind == GateKind.ReleaseGate))
        {
            new ReleaseGate(null, time).Validate(Request(plan, stage, gate));
        }
        return set;
    }

    /// <summary>The stage of <paramref name="plan"/> named <paramref name="stage"/>, when artifacts may be posted for it now.</summary>
    /// <exception cref="RolloutConflictException">No such stage, it has no release gate, it was already left, or its gate was already judged.</exception>
    public static PlanStage StageToPost(RolloutPlan plan, RolloutRecord record, string stage)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(record);
        var index = plan.Stages.ToList().FindIndex(s => s.Name == stage);
        if (index < 0)
        {
            throw new RolloutConflictException($"the plan has no stage '{stage}' (stages: {string.Join(", ", plan.Stages.Select(s => s.Name))})");
        }
        var target = plan.Stages[index];
        if (!target.Gates.Any(g => g.Kind == GateKind.ReleaseGate))
        {
            throw new RolloutConflictException($"stage '{stage}' has no release gate (its gates: {string.Join(", ", target.Gates.Select(g => g.Describe()))})");
        }
        if (index < record.StageIndex)
        {
            throw new RolloutConflictException($"stage '{stage}' was already left: the rollout is at stage '{record.Stage}'");
        }
        if (record.Gates.FirstOrDefault(g => g.Stage == stage && g.Kind == WireName.Of(GateKind.ReleaseGate)) is { } judged)
        {
            throw new RolloutConflictException($"the release gate of stage '{stage}' was already judged: {judged.Detail}");
        }
        return target;
    }

    /// <summary>Stores a posted set (committed when this returns).</summary>
    public void Store(PostedArtifacts set)
    {
        ArgumentNullException.ThrowIfNull(set);
        sink.Append(new AuditEvent(set.At, EventType, JsonSerializer.Serialize(set, Json)));
    }

    /// <summary>The latest set posted for <paramref name="stage"/> of <paramref name="plan"/>, or null.</summary>
    public PostedArtifacts? Latest(string plan, string stage)
    {
        PostedArtifacts? latest = null;
        foreach (var e in reader.Read(EventType, limit: Depth))
        {
            if (JsonSerializer.Deserialize<PostedArtifacts>(e.Data, Json) is { } set && set.Plan == plan && set.Stage == stage)
            {
                latest = set;
            }
        }
        return latest;
    }

    /// <summary>Judges <paramref name="gate"/> of <paramref name="stage"/> over <paramref name="set"/> and stores the report (audit event <see cref="ReportEventType"/>).</summary>
    public GateReport Judge(string plan, PlanStage stage, PlanGate gate, PostedArtifacts set)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var report = new ReleaseGate(null, time).Evaluate(Request(plan, stage, gate), Inputs(set));
        sink.Append(new AuditEvent(report.GeneratedAt, ReportEventType, GateReportWriter.ToJson(report)));
        return report;
    }

    /// <summary>The stored report named <paramref name="name"/> (its file stem, <c>&lt;label&gt;_release_gate_stage&lt;N&gt;</c>) as JSON, or null.</summary>
    public string? Report(string name)
    {
        string? found = null;
        foreach (var e in reader.Read(ReportEventType, limit: Depth))
        {
            var report = GateReportReader.Parse(e.Data, $"audit {ReportEventType}");
            if (report.FileStem == name)
            {
                found = e.Data;
            }
        }
        return found;
    }

    /// <summary>The report label of a live gate: <c>&lt;plan&gt;_&lt;stage&gt;</c> (as the simulator names it), or <c>live</c> when that is not a safe file name.</summary>
    public static string Label(string plan, PlanStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var label = $"{plan}_{stage.Name}".Replace(' ', '_');
        return ReleaseGate.IsSafeLabel(label) ? label : "live";
    }

    private static GateRequest Request(string plan, PlanStage stage, PlanGate gate) =>
        new(gate.GatedStage(stage.Percent), gate.LatencyP95SlaMs, gate.BaselineCorrectionRate, Label(plan, stage));

    private static List<UatArtifactInput> Inputs(PostedArtifacts set) =>
        set.Artifacts.Select(a => UatArtifactInput.FromBytes(a.Name, JsonSerializer.SerializeToUtf8Bytes(a.Raw))).ToList();
}
