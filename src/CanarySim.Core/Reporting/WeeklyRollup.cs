using System.Globalization;
using System.Text;
using System.Text.Json;
using CanarySim.Core.Audit;

namespace CanarySim.Core.Reporting;

/// <summary>
/// The weekly rollup — period, total runs, traffic split, agent change rate,
/// top disagreements, recommendations and actions — computed from the audit log.
/// Reads <c>engine_route</c> events (<c>selected</c>; optional <c>count</c> when one event stands for
/// several runs; optional <c>diff</c> object) and <c>decision_diff</c> events (<c>agent_v1</c>,
/// <c>agent_v2</c>, <c>agent_changed</c>, <c>any_change</c>, optional <c>count</c>), and <c>rollback</c> events.
/// </summary>
public static class WeeklyRollup
{
    /// <summary>Builds the rollup for [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static WeeklyRollupReport Build(IAuditReader reader, DateTimeOffset from, DateTimeOffset to, RollupOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new RollupOptions();
        long v1 = 0, v2 = 0, killSwitch = 0, compared = 0, agentChanges = 0, anyChanges = 0;
        var pairs = new Dictionary<(string, string), long>();
        var rollbacks = new List<(DateTimeOffset, string)>();

        void CountDiff(JsonElement d, long count)
        {
            var a1 = Str(d, "agent_v1") ?? "?";
            var a2 = Str(d, "agent_v2") ?? "?";
            var agentChanged = Bool(d, "agent_changed") ?? Bool(d, "changed") ?? !string.Equals(a1, a2, StringComparison.Ordinal);
            compared += count;
            if (agentChanged)
            {
                agentChanges += count;
                pairs[(a1, a2)] = pairs.GetValueOrDefault((a1, a2)) + count;
            }
            if (Bool(d, "any_change") ?? agentChanged)
            {
                anyChanges += count;
            }
        }

        foreach (var e in reader.Read(null, from))
        {
            if (e.At >= to)
            {
                continue;
            }
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(e.Data);
            }
            catch (JsonException)
            {
                continue; // a foreign event body is not ours to judge
            }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                var count = Long(root, "count") ?? 1;
                switch (e.Type)
                {
                    case "engine_route":
                        if (Str(root, "selected") == "v2")
                        {
                            v2 += count;
                        }
                        else
                        {
                            v1 += count;
                            if (Str(root, "reason") == "kill_switch")
                            {
                                killSwitch += count;
                            }
                        }
                        if (root.TryGetProperty("diff", out var diff) && diff.ValueKind == JsonValueKind.Object)
                        {
                            CountDiff(diff, count);
                        }
                        break;
                    case "decision_diff":
                        CountDiff(root, count);
                        break;
                    case "rollback":
                        rollbacks.Add((e.At, Str(root, "reason") ?? string.Join("; ", Strs(root, "breaches"))));
                        break;
                }
            }
        }

        var top = pairs.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal)
            .Take(options.TopDisagreements).Select(kv => new AgentDisagreement(kv.Key.Item1, kv.Key.Item2, kv.Value)).ToList();
        var total = v1 + v2;
        var report = new WeeklyRollupReport
        {
            Week = WeekLabel(to.AddTicks(-1)),
            PeriodStart = from,
            PeriodEnd = to,
            TotalRuns = total,
            V1Runs = v1,
            V2Runs = v2,
            KillSwitchRuns = killSwitch,
            Compared = compared,
            AgentChanges = agentChanges,
            AnyChanges = anyChanges,
            TopDisagreements = top,
            Rollbacks = rollbacks,
        };
        var (recs, actions) = Advise(report, options);
        return report with { Recommendations = recs, Actions = actions };
    }


    /// <summary>ISO-8601 week label, e.g. <c>2025-W42</c>.</summary>
    public static string WeekLabel(DateTimeOffset at)
    {
        var d = at.UtcDateTime;
        return $"{ISOWeek.GetYear(d).ToString(CultureInfo.InvariantCulture)}-W{ISOWeek.GetWeekOfYear(d).ToString("00", CultureInfo.InvariantCulture)}";
    }

    private static (List<string>, List<string>) Advise(WeeklyRollupReport r, RollupOptions o)
    {
        var recs = new List<string>();
        var actions = new List<string>();
        var rate = r.AgentChangeRate;
        var v2Share = r.TotalRuns == 0 ? 0 : (double)r.V2Runs / r.TotalRuns;
        if (r.TotalRuns == 0)
        {
            recs.Add("ℹ️ No traffic recorded in this period - check that route events reach the audit store");
            actions.Add("Verify the audit pipeline records `engine_route` events");
            return (recs, actions);
        }
        if (r.Rollbacks.Count > 0)
        {
            recs.Add($"⛔ Hold the split - {r.Rollbacks.Count} rollback(s) this period; fix the cause before re-enabling the canary");
            actions.Add("Write the incident timeline for each rollback and link the breach details");
        }
        if (r.Compared > 0 && rate > o.HighDisagreementRate)
        {
            recs.Add($"⚠️ Slow the rollout - agent change rate {Share(r.AgentChanges, r.Compared)} is above {o.HighDisagreementRate.ToString("P0", CultureInfo.InvariantCulture)}");
        }
        else if (r.Compared > 0 && rate > o.ReviewDisagreementRate && r.TopDisagreements.Count > 0)
        {
            var t = r.TopDisagreements[0];
            recs.Add($"⚠️ Review scoring weights - some disagreement on `{t.V1Agent}` vs `{t.V2Agent}`");
        }
        else if (r.Compared > 0)
        {
            recs.Add("✅ Decisions aligned - V1 and V2 mostly agree");
        }
        if (r.Rollbacks.Count == 0 && r.KillSwitchRuns > 0 && v2Share == 0)
        {
            // Rolled back before this period: v1 serves because of the kill switch, not because the canary has not started.
            recs.Add($"⛔ Kill switch on - {Share(r.KillSwitchRuns, r.TotalRuns)} of runs went to V1 because of it; re-enable the canary by hand once the rollback's cause is fixed");
            actions.Add("Find the rollback that set the kill switch (settings history) and fix its cause");
        }
        else if (r.Rollbacks.Count == 0)
        {
            recs.Add(v2Share == 0
                ? "ℹ️ Shadow only - start a small canary once the diffs are reviewed"
                : v2Share >= 0.999
                    ? "✅ V2 serves all traffic - keep monitoring, then retire V1"
                    : $"✅ Maintain current split - {Share(r.V2Runs, r.TotalRuns)} on V2 with no rollback");
        }
        actions.Add("Review top disagreements for correctness");
        actions.Add("Check quality dashboard for V1 vs V2 performance");
        return (recs, actions);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<string> Strs(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(v.GetString(), out var b) => b,
            _ => null,
        } : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n > 0 ? n : null;

    private static string Share(long part, long whole) => whole == 0 ? "0.0%" : ((double)part / whole).ToString("0.0%", CultureInfo.InvariantCulture);
}
