using System.Text.Json;
using CanarySim.Core.Audit;

namespace CanarySim.Service.Rollout;

/// <summary>
/// Stores a live rollout's transitions as <c>rollout</c> events of the audit log (append-only, in the
/// SQLite file or the PostgreSQL fleet store alike): each event holds the whole <see cref="RolloutRecord"/>,
/// so the latest event of a plan is its state and all of them are its history.
/// </summary>
public sealed class RolloutJournal(IAuditSink sink, IAuditReader reader)
{
    /// <summary>The audit event type of a rollout transition.</summary>
    public const string EventType = "rollout";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>How many of the latest rollout events are searched for a plan's state and history.</summary>
    public int Depth { get; init; } = 10_000;

    /// <summary>Stores one transition (committed when this returns); throws when the store cannot.</summary>
    public void Append(RolloutRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        sink.Append(new AuditEvent(record.At, EventType, JsonSerializer.Serialize(record, Json)));
    }

    /// <summary>The audit event type of a stage's progress (<see cref="RolloutProgress"/>).</summary>
    public const string ProgressEventType = "rollout_progress";

    /// <summary>Stores the current stage's progress (committed when this returns); throws when the store cannot.</summary>
    public void Append(RolloutProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        sink.Append(new AuditEvent(progress.At, ProgressEventType, JsonSerializer.Serialize(progress, Json)));
    }

    /// <summary>The latest stored progress of <paramref name="plan"/>'s stage <paramref name="stageIndex"/> entered at <paramref name="enteredAt"/>, or null.</summary>
    public RolloutProgress? Progress(string plan, int stageIndex, DateTimeOffset enteredAt)
    {
        RolloutProgress? latest = null;
        foreach (var e in reader.Read(ProgressEventType, since: enteredAt, limit: Depth))
        {
            if (JsonSerializer.Deserialize<RolloutProgress>(e.Data, Json) is { } p && p.Plan == plan && p.StageIndex == stageIndex && p.EnteredAt == enteredAt)
            {
                latest = p;
            }
        }
        return latest;
    }

    /// <summary>The latest stored state of <paramref name="plan"/>, or null when it never ran here.</summary>
    public RolloutRecord? Latest(string plan) => History(plan).LastOrDefault();

    /// <summary>The stored transitions of <paramref name="plan"/>, oldest first.</summary>
    public IReadOnlyList<RolloutRecord> History(string plan)
    {
        var list = new List<RolloutRecord>();
        foreach (var e in reader.Read(EventType, limit: Depth))
        {
            if (JsonSerializer.Deserialize<RolloutRecord>(e.Data, Json) is { } r && r.Plan == plan)
            {
                list.Add(r);
            }
        }
        return list;
    }
}
