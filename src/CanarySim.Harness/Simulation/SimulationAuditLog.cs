using System.Text;
using System.Text.Json;
using CanarySim.Core.Audit;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// The simulation's audit sink. Keeps every settings change, rollback and alert, and every evaluation
/// that changed settings or whose measurement or action differs from the previous one; drops the
/// repeats (tens of thousands per simulated week), counting them instead. Route and diff events arrive pre-aggregated per hour.
/// </summary>
internal sealed class SimulationAuditLog : IAuditSink, IEvaluationAuditFilter
{
    private readonly List<AuditEvent> _events = [];

    public IReadOnlyList<AuditEvent> Events => _events;

    public long RoutineEvaluations { get; private set; }

    public void Append(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (auditEvent.Type == "evaluation" && !auditEvent.Data.Contains("\"change_sequence\"", StringComparison.Ordinal))
        {
            // Keep an evaluation only when its measurement or action differs from the last one kept.
            var key = Field(auditEvent.Data, "measurement") + "/" + Field(auditEvent.Data, "action");
            if (key == _lastEvaluationKey)
            {
                RoutineEvaluations++;
                return;
            }
            _lastEvaluationKey = key;
        }
        _events.Add(auditEvent);
    }

    private string _lastEvaluationKey = "";

    /// <summary>Asked before an evaluation's JSON is built: a repeat is counted and never built.</summary>
    public bool KeepsEvaluation(string measurement, string action)
    {
        if (measurement + "/" + action == _lastEvaluationKey)
        {
            RoutineEvaluations++;
            return false;
        }
        return true;
    }

    private static string Field(string json, string name)
    {
        var marker = "\"" + name + "\":\"";
        var i = json.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0)
        {
            return "";
        }
        i += marker.Length;
        var j = json.IndexOf('"', i);
        return j < 0 ? "" : json[i..j];
    }

    public void AppendAggregate(AuditEvent auditEvent) => _events.Add(auditEvent);

    /// <summary>One JSON object written by <paramref name="body"/>, as audit event data.</summary>
    public static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
