using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CanarySim.Core.Audit;
using CanarySim.Core.Documents;
using CanarySim.Core.Reporting;
using CanarySim.Reports;
using CanarySim.Storage.Sqlite;

namespace CanarySim.Cli.Commands;

/// <summary>
/// <c>canarysim rollup [--since D] [--db F | --audit F.jsonl] [--out DIR] [--json]</c>:
/// the weekly rollup — period, total runs, traffic split, agent change rate, top disagreements,
/// recommendations, actions — from the SQLite audit store or a simulation's audit log.
/// </summary>
internal static class RollupCommand
{
    private const string Help =
        "Write the weekly rollup: period, total runs, traffic split, agent change rate, top disagreements, " +
        "recommendations and actions, from engine_route, decision_diff and rollback audit events.\n" +
        "Reads the SQLite store (--db, never created by this command) or an audit log written by 'canarysim simulate' (--audit, JSON lines " +
        "{\"at\",\"type\",\"data\"}). The period is the 7 days from --since; without it, the 7 days ending at the end of the day of the latest event. " +
        "Its end is exclusive: the report names the last day it counts ('2025-10-21 to 2025-10-28 (7 days; the last day is 2025-10-27)').\n" +
        "Writes <out>/rollup-<week>.md and rollup-<week>.summary.json (default out: reports/rollup).\n" +
        "Exit codes: 0 = written; 2 = bad input (missing or unreadable store, malformed line - file and line named - or bad date).";

    public static Command Create(CliIo io)
    {
        var since = new Option<string?>("--since") { Description = "Start of the 7-day period (yyyy-MM-dd or ISO time, UTC)." };
        var db = new Option<FileInfo?>("--db") { Description = "SQLite audit store (canarysim serve --db)." };
        var audit = new Option<FileInfo?>("--audit") { Description = "Audit log (.jsonl) of a simulation." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default reports/rollup)." };
        var title = new Option<string>("--title") { Description = "Report title.", DefaultValueFactory = _ => "Planner Weekly Report" };
        var json = new Option<bool>("--json") { Description = "Print the rollup as JSON." };
        var command = new Command("rollup", Help) { since, db, audit, output, title, json };
        command.SetAction(parse => Run(io, parse.GetValue(since), parse.GetValue(db), parse.GetValue(audit), parse.GetValue(output), parse.GetValue(title)!, parse.GetValue(json)));
        return command;
    }

    private static int Run(CliIo io, string? sinceText, FileInfo? db, FileInfo? auditFile, DirectoryInfo? outDir, string title, bool json)
    {
        if ((db is null) == (auditFile is null))
        {
            return io.UsageError("pass exactly one of --db F (SQLite store) or --audit F.jsonl (a simulation's audit log).");
        }
        DateTimeOffset? since = null;
        if (sinceText is not null)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var s))
            {
                return io.UsageError($"--since: expected a date such as 2025-10-10 or an ISO time, got '{sinceText}'.");
            }
            since = s;
        }

        IAuditReader reader;
        IDisposable? owned = null;
        if (db is not null)
        {
            if (io.RefuseMissing(db, "--db: store") is { } refused)
            {
                return refused;
            }
            try
            {
                var store = SqliteStore.Open(db.FullName, TimeProvider.System);
                reader = store.Audit;
                owned = store;
            }
            catch (CanarySimStoreException ex)
            {
                return io.UsageError(ex.Message);
            }
        }
        else
        {
            if (io.RefuseMissing(auditFile!, "--audit: file") is { } refused)
            {
                return refused;
            }
            try
            {
                reader = ReadJsonl(auditFile!.FullName);
            }
            catch (FormatException ex)
            {
                return io.UsageError(ex.Message);
            }
        }

        using (owned)
        {
            var options = new RollupOptions();
            DateTimeOffset from, to;
            if (since is { } s)
            {
                from = s;
                to = s + options.Period;
            }
            else
            {
                var events = reader.Read();
                if (events.Count == 0)
                {
                    return io.UsageError("the audit log has no events; pass --since to report an empty week.");
                }
                var last = events.Max(e => e.At).UtcDateTime;
                to = new DateTimeOffset(last.Date.AddDays(1), TimeSpan.Zero);
                from = to - options.Period;
            }
            var report = WeeklyRollup.Build(reader, from, to, options);
            var markdown = report.ToMarkdown(title);
            var dir = outDir?.FullName ?? Path.Combine("reports", "rollup");
            var stem = "rollup-" + report.Week;
            AtomicFile.WriteAllText(Path.Combine(dir, stem + ".md"), markdown);
            var verdict = $"{report.TotalRuns.ToString("N0", CultureInfo.InvariantCulture)} runs, {Pct(report.V2Runs, report.TotalRuns)} on v2, agent change rate {Pct(report.AgentChanges, report.Compared)}"
                          + (report.Rollbacks.Count > 0 ? $", {report.Rollbacks.Count} rollback(s)" : "")
                          + (report.KillSwitchRuns > 0 ? $", kill switch on for {Pct(report.KillSwitchRuns, report.TotalRuns)}" : "");
            AtomicFile.WriteAllText(Path.Combine(dir, stem + ".summary.json"),
                JsonSerializer.Serialize(new ReportSummary("rollup", $"{title} — {report.Week}", verdict, stem + ".md", report.Rollbacks.Count == 0), CliIo.Json) + "\n");
            if (json)
            {
                io.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    week = report.Week,
                    period_start = report.PeriodStart.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    period_end = report.PeriodEnd.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    total_runs = report.TotalRuns,
                    v1_runs = report.V1Runs,
                    v2_runs = report.V2Runs,
                    kill_switch_runs = report.KillSwitchRuns,
                    compared = report.Compared,
                    agent_changes = report.AgentChanges,
                    agent_change_rate = Math.Round(report.AgentChangeRate, 6),
                    top_disagreements = report.TopDisagreements.Select(d => new { agent_v1 = d.V1Agent, agent_v2 = d.V2Agent, count = d.Count }),
                    rollbacks = report.Rollbacks.Count,
                    recommendations = report.Recommendations,
                    actions = report.Actions,
                    report = Path.Combine(dir, stem + ".md"),
                }, CliIo.Json));
            }
            else
            {
                io.Out.WriteLine($"{report.Week}, {report.Period()}: {verdict}");
                io.Out.WriteLine($"  wrote {Path.Combine(dir, stem + ".md")}");
            }
            return CanarySimCli.Ok;
        }
    }

    /// <summary>Reads a simulation audit log (<c>{"at","type","data"}</c> per line); a bad line names the file and line.</summary>
    internal static InMemoryAuditLog ReadJsonl(string path)
    {
        var log = new InMemoryAuditLog();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{path}:{lineNo}: expected a JSON object with at, type and data");
                }
                if (!root.TryGetProperty("at", out var at) || at.ValueKind != JsonValueKind.String
                    || !DateTimeOffset.TryParse(at.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
                {
                    throw new FormatException($"{path}:{lineNo}: field 'at': expected an ISO time");
                }
                if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(type.GetString()))
                {
                    throw new FormatException($"{path}:{lineNo}: field 'type': expected the event type, e.g. engine_route");
                }
                if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{path}:{lineNo}: field 'data': expected the event body as a JSON object");
                }
                log.Append(new AuditEvent(when, type.GetString()!, data.GetRawText()));
            }
            catch (JsonException ex)
            {
                throw new FormatException($"{path}:{lineNo}: {JsonSyntax.OnLine(ex)}");
            }
        }
        return log;
    }

    private static string Pct(long part, long whole) => whole == 0 ? "0.0%" : ((double)part / whole).ToString("0.0%", CultureInfo.InvariantCulture);
}
