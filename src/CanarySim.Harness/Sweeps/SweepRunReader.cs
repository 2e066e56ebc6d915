using System.Globalization;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Rollback;
using CanarySim.Harness.Simulation;

namespace CanarySim.Harness.Sweeps;

/// <summary>Reads what a sweep counts out of one simulation's settings history and audit log.</summary>
internal static class SweepRunReader
{
    // Settings-change kinds that count as the guard acting; a manual_review alert changes no traffic.
    private static readonly HashSet<SettingsChangeKind> AlarmKinds =
        [SettingsChangeKind.Rollback, SettingsChangeKind.StagedRollback, SettingsChangeKind.ReduceTraffic, SettingsChangeKind.Pause];

    // The rollback rehearsal turns the kill switch on and off on purpose before leaving a stage: not an alarm.
    private const string RehearsalActor = "rollback-rehearsal";

    public static SweepRunRecord Read(SimulationResult result, SweepScenario scenario, DateTimeOffset planStart)
    {
        var changes = result.SettingsHistory.Where(c => c.Actor != RehearsalActor).ToList();
        var alarm = changes.FirstOrDefault(c => AlarmKinds.Contains(c.Kind));
        DateTimeOffset? injectedAt = scenario.Injection is { } f ? planStart + f.At : null;
        // Caught: the first time the guard or the rollout acted on the regression (the same actions that make a false alarm).
        var caught = injectedAt is { } start ? changes.FirstOrDefault(c => AlarmKinds.Contains(c.Kind) && c.At >= start) : null;
        return new SweepRunRecord(
            result.Seed,
            scenario.Name,
            WireName.Of(result.Outcome),
            result.Requests,
            alarm is null ? null : new SweepAlarm(WireName.Of(alarm.Kind), Iso(alarm.At), alarm.Actor, Checks(result, alarm)),
            alarm is not null && (injectedAt is null || alarm.At < injectedAt),
            caught is null ? null : WireName.Of(caught.Kind),
            caught is null ? null : Iso(caught.At),
            caught is null ? null : (long)(caught.At - injectedAt!.Value).TotalSeconds,
            caught is null ? [] : Checks(result, caught));
    }

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The checks named in the audit event the change was recorded with; for a rollout's own rollback, the gate that failed.</summary>
    private static IReadOnlyList<string> Checks(SimulationResult result, SettingsChange change)
    {
        foreach (var e in result.Audit)
        {
            if (e.At != change.At || !e.Data.Contains("\"breaches\"", StringComparison.Ordinal))
            {
                continue;
            }
            using var doc = JsonDocument.Parse(e.Data);
            var root = doc.RootElement;
            if (!root.TryGetProperty("sequence", out var seq) || seq.GetInt64() != change.Sequence ||
                !root.TryGetProperty("breaches", out var breaches) || breaches.ValueKind != JsonValueKind.Array)
            {
                continue;
            }
            var checks = breaches.EnumerateArray()
                .Select(b => b.TryGetProperty("check", out var c) ? c.GetString() ?? "" : "")
                .Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (checks.Count > 0)
            {
                return checks;
            }
        }
        // a rollout's own rollback says why in words, e.g. "release_gate failed: …": name what failed
        var colon = change.Reason.IndexOf(':', StringComparison.Ordinal);
        var what = (colon > 0 ? change.Reason[..colon] : change.Reason).Trim();
        return [what.Length > 0 ? what : change.Actor];
    }
}
