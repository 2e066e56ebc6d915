using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CanarySim.Core.Audit;
using CanarySim.Core.Gating;
using CanarySim.Core.Reporting;
using CanarySim.Core.Rollback;
using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Simulation;

/// <summary>Everything one simulation produced. Depends only on the plan, options and seed — never on the wall clock.</summary>
public sealed record SimulationResult
{
    /// <summary>The plan simulated.</summary>
    public required RolloutPlan Plan { get; init; }
    /// <summary>The seed used.</summary>
    public required int Seed { get; init; }
    /// <summary>How the rollout ended (<see cref="SimulationOutcome.InProgress"/>: the plan ran out of time before its last stage finished).</summary>
    public required SimulationOutcome Outcome { get; init; }
    /// <summary>One line, e.g. <c>rolled back at 5 % on 2026-02-25 14:03: latency (V2 p95: 1850ms &gt; 1600ms)</c>.</summary>
    public required string Verdict { get; init; }
    /// <summary>The evidence log.</summary>
    public required EvidenceLog Evidence { get; init; }
    /// <summary>The data of the HTML report.</summary>
    public required SimulationReport Report { get; init; }
    /// <summary>The audit events (route and diff events aggregated per hour with a <c>count</c>; evaluations that changed nothing are omitted).</summary>
    public required IReadOnlyList<AuditEvent> Audit { get; init; }
    /// <summary>The settings history (every promotion, rollback, rehearsal and operator action).</summary>
    public required IReadOnlyList<SettingsChange> SettingsHistory { get; init; }
    /// <summary>Release-gate reports produced by gates on the way.</summary>
    public IReadOnlyList<GateReport> GateReports { get; init; } = [];
    /// <summary>The app's own log (plan <c>evidence.app_log</c>): timestamped <c>[STARTUP]</c>, <c>[V2-SUMMARY]</c>, <c>[V2-METRICS]</c>, <c>[V2-ANOMALY]</c> lines; empty without it.</summary>
    public IReadOnlyList<string> AppLog { get; init; } = [];
    /// <summary>Requests simulated.</summary>
    public long Requests { get; init; }
    /// <summary>Requests v2 served.</summary>
    public long V2Served { get; init; }
    /// <summary>Detector evaluations run.</summary>
    public long Evaluations { get; init; }
    /// <summary>
    /// With <see cref="SimulationEngines.WireMock"/>: the HTTP calls made and their wall time (null in-process).
    /// Diagnostics only, never written to an output file.
    /// </summary>
    public WireMockRunStats? WireMock { get; init; }
    /// <summary>Injected faults and what became of them.</summary>
    public IReadOnlyList<InjectionOutcome> Injections => Report.Injections;
    /// <summary>
    /// Good news for the report index: the rollout completed or is still healthy, or it rolled back
    /// because of an injected fault (the safety net worked). A rollback nobody injected is not ok.
    /// </summary>
    public bool Ok => Outcome != SimulationOutcome.RolledBack || Report.Injections.Any(i => i.RollbackAt is not null);

    /// <summary>The audit log as JSON lines: <c>{"at":…,"type":…,"data":{…}}</c>, oldest first.</summary>
    public string AuditJsonl()
    {
        var sb = new StringBuilder();
        using var buffer = new MemoryStream();
        foreach (var e in Audit)
        {
            buffer.SetLength(0);
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("at", e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                w.WriteString("type", e.Type);
                w.WritePropertyName("data");
                w.WriteRawValue(e.Data, skipInputValidation: false);
                w.WriteEndObject();
            }
            sb.Append(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).Append('\n');
        }
        return sb.ToString();
    }
}
