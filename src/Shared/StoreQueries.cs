using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;

namespace CanarySim.Storage;

/// <summary>
/// The statements every durable store runs the same way (compiled into each store's assembly): which rows a read
/// selects, how it pages and filters, and what a settings commit writes. <c>p</c> is the store's parameter prefix
/// (<c>@</c> or <c>$</c>); what only one dialect can say (PostgreSQL's arrays and NOTIFY, SQLite's upsert of the
/// current settings) the store adds itself.
/// </summary>
internal static class StoreQueries
{
    /// <summary>
    /// The last <paramref name="count"/> samples of an engine to arrive (insertion order, not <c>At</c>: a sample dated
    /// in the future must not stay at the head of the window), read oldest first; null when <paramref name="count"/> asks for none.
    /// </summary>
    public static StoreQuery? LastRuns(char p, Engine engine, int count) => count <= 0
        ? null
        : new($"SELECT {StoreRows.SampleColumns} FROM samples WHERE engine = {p}engine ORDER BY id DESC LIMIT {p}count;",
            [(p + "engine", WireName.Of(engine)), (p + "count", count)], NewestFirst: true);

    /// <summary>The samples of an engine with <c>At</c> in (<paramref name="since"/>, <paramref name="now"/>], oldest first.</summary>
    public static StoreQuery Since(char p, Engine engine, DateTimeOffset since, DateTimeOffset now) =>
        new($"SELECT {StoreRows.SampleColumns} FROM samples WHERE engine = {p}engine AND at > {p}since AND at <= {p}now ORDER BY at, id;",
            [(p + "engine", WireName.Of(engine)), (p + "since", since.UtcTicks), (p + "now", now.UtcTicks)]);

    /// <summary>The settings history oldest first, or its newest <paramref name="limit"/> changes (read oldest first); null when the limit asks for none.</summary>
    public static StoreQuery? History(char p, int? limit) => limit switch
    {
        <= 0 => null,
        null => new($"SELECT {StoreRows.HistoryColumns} FROM settings_history ORDER BY sequence;", []),
        _ => new($"SELECT {StoreRows.HistoryColumns} FROM settings_history ORDER BY sequence DESC LIMIT {p}limit;", [(p + "limit", limit.Value)], NewestFirst: true),
    };

    /// <summary>
    /// Audit events of <paramref name="type"/> (all when null) with <c>At</c> at or after <paramref name="since"/>, in the
    /// order they were written; the <paramref name="limit"/> most recent when given; null when the limit asks for none.
    /// </summary>
    public static StoreQuery? Audit(char p, string? type, DateTimeOffset? since, int? limit)
    {
        if (limit is <= 0)
        {
            return null;
        }
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (type is not null)
        {
            where.Add($"type = {p}type");
            parameters.Add((p + "type", type));
        }
        if (since is { } from)
        {
            where.Add($"at >= {p}since");
            parameters.Add((p + "since", from.UtcTicks));
        }
        if (limit is { } n)
        {
            parameters.Add((p + "limit", n));
        }
        var sql = $"SELECT {StoreRows.AuditColumns} FROM audit_log"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + (limit is null ? " ORDER BY id;" : $" ORDER BY id DESC LIMIT {p}limit;");
        return new(sql, parameters, NewestFirst: limit is not null);
    }

    /// <summary>
    /// What a settings commit on <paramref name="latest"/> (the latest stored settings, read in the commit's transaction)
    /// stores: the change <paramref name="decide"/> makes, numbered <c>latest.Version + 1</c>, and the insert of its history
    /// row, whose parameters also carry <c>sequence</c>, <c>after</c> (the settings JSON) and <c>recorded</c> for the store's
    /// update of the current settings. Null when <paramref name="decide"/> stores nothing. An <paramref name="expectedVersion"/>
    /// that is not the latest is refused with <see cref="SettingsConflictException"/> before <paramref name="decide"/> runs.
    /// </summary>
    public static (SettingsChange Change, StoreQuery Insert)? Commit(
        char p, VersionedSettings latest, long? expectedVersion, Func<VersionedSettings, SettingsChange?> decide, TimeProvider time)
    {
        if (expectedVersion is { } expected && expected != latest.Version)
        {
            throw new SettingsConflictException(expected, latest);
        }
        if (decide(latest) is not { } change)
        {
            return null;
        }
        var sequence = latest.Version + 1;
        var insert = new StoreQuery($"""
            INSERT INTO settings_history(sequence, at, actor, kind, reason, before_json, after_json, breaches_json, recorded_at, instance)
            VALUES ({p}sequence, {p}at, {p}actor, {p}kind, {p}reason, {p}before, {p}after, {p}breaches, {p}recorded, {p}instance);
            """,
            [
                (p + "sequence", sequence),
                (p + "at", change.At.UtcTicks),
                (p + "actor", change.Actor ?? ""),
                (p + "kind", WireName.Of(change.Kind)),
                (p + "reason", change.Reason ?? ""),
                (p + "before", RouterSettingsJson.Serialize(change.Before)),
                (p + "after", RouterSettingsJson.Serialize(change.After)),
                (p + "breaches", JsonSerializer.Serialize(change.Breaches ?? [])),
                (p + "recorded", time.GetUtcNow().UtcTicks),
                (p + "instance", change.Instance ?? ""),
            ]);
        return (change with { Sequence = sequence }, insert);
    }
}
