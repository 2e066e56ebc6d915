using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CanarySim.Core;
using CanarySim.Core.Audit;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollback;
using CanarySim.Core.Routing;

namespace CanarySim.Storage;

/// <summary>
/// The row shapes every durable store shares (compiled into each store's assembly): a samples row, a
/// settings-history row, and the samples' <c>metrics</c>/<c>tags</c> columns — a JSON object with names in
/// ordinal order, NULL when the sample carries none — so a row reads back as what was written on any store.
/// A row that cannot be read is reported through <c>damaged(problem, cause)</c>, which makes the store's own exception.
/// </summary>
internal static class StoreRows
{
    /// <summary>The samples columns, in the order <see cref="ReadSample"/> reads them, with what each holds of a sample.</summary>
    public static readonly IReadOnlyList<SampleColumn> SampleFields =
    [
        new("engine", typeof(string), s => WireName.Of(s.Engine)),
        new("at", typeof(long), s => s.At.UtcTicks),
        new("latency_ms", typeof(double), s => s.LatencyMs),
        new("quality", typeof(double), s => s.Quality),
        new("cost_cents", typeof(double), s => s.CostCents),
        new("error", typeof(bool), s => s.Error),
        new("fallback", typeof(bool), s => s.Fallback),
        new("policy_violation", typeof(bool), s => s.PolicyViolation),
        new("complaint", typeof(bool), s => s.Complaint),
        new("tokens", typeof(int), s => s.Tokens),
        new("agent", typeof(string), s => s.Agent),
        new("scenario", typeof(string), s => s.Scenario),
        new("role", typeof(string), s => s.Role),
        new("metrics", typeof(string), s => MetricsColumn(s.Metrics)),
        new("tags", typeof(string), s => TagsColumn(s.Tags)),
    ];

    /// <summary>The samples columns, in the order <see cref="ReadSample"/> reads them.</summary>
    public static readonly string SampleColumns = string.Join(", ", SampleFields.Select(c => c.Name));

    /// <summary>The settings-history columns, in the order <see cref="ReadChange"/> reads them.</summary>
    public const string HistoryColumns = "sequence, at, actor, kind, reason, before_json, after_json, breaches_json, instance";

    /// <summary>The audit-log columns, in the order <see cref="ReadAuditEvent"/> reads them.</summary>
    public const string AuditColumns = "at, type, data";

    /// <summary>
    /// Every row <paramref name="command"/> selects, read by <paramref name="row"/>, oldest first: a query that takes the
    /// newest rows (a descending order with a limit) says so with <paramref name="newestFirst"/> and is turned around.
    /// </summary>
    public static List<T> ReadRows<T>(DbCommand command, Func<DbDataReader, T> row, bool newestFirst = false)
    {
        var list = new List<T>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                list.Add(row(reader));
            }
        }
        if (newestFirst)
        {
            list.Reverse();
        }
        return list;
    }

    /// <summary>One audit-log row selected as <see cref="AuditColumns"/>.</summary>
    public static AuditEvent ReadAuditEvent(DbDataReader reader) => new(FromTicks(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2));

    /// <summary>A time stored as UTC ticks.</summary>
    public static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>The metrics column of a sample: a JSON object, or null (SQL NULL) when there are none.</summary>
    public static string? MetricsColumn(IReadOnlyDictionary<string, double>? metrics) =>
        metrics is not { Count: > 0 } ? null : Write(metrics, static (w, name, value) => w.WriteNumber(name, value));

    /// <summary>The tags column of a sample: a JSON object, or null (SQL NULL) when there are none.</summary>
    public static string? TagsColumn(IReadOnlyDictionary<string, string>? tags) =>
        tags is not { Count: > 0 } ? null : Write(tags, static (w, name, value) => w.WriteString(name, value));

    /// <summary>One samples row selected as <see cref="SampleColumns"/>.</summary>
    public static Sample ReadSample(DbDataReader reader, Func<string, Exception?, Exception> damaged) => new()
    {
        Engine = WireName.TryParseIgnoreCase<Engine>(reader.GetString(0), out var e) ? e : throw damaged($"samples: unknown engine '{reader.GetString(0)}'", null),
        At = FromTicks(reader.GetInt64(1)),
        LatencyMs = reader.GetDouble(2),
        Quality = reader.GetDouble(3),
        CostCents = reader.GetDouble(4),
        Error = reader.GetBoolean(5),
        Fallback = reader.GetBoolean(6),
        PolicyViolation = reader.GetBoolean(7),
        Complaint = reader.GetBoolean(8),
        Tokens = reader.GetInt32(9),
        Agent = reader.IsDBNull(10) ? null : reader.GetString(10),
        Scenario = reader.IsDBNull(11) ? null : reader.GetString(11),
        Role = reader.IsDBNull(12) ? null : reader.GetString(12),
        Metrics = reader.IsDBNull(13) ? null : ReadMap(reader.GetString(13), "metrics", damaged,
            Number, "a number"),
        Tags = reader.IsDBNull(14) ? null : ReadMap(reader.GetString(14), "tags", damaged,
            Text, "a string"),
    };

    /// <summary>One settings-history row selected as <see cref="HistoryColumns"/>.</summary>
    public static SettingsChange ReadChange(DbDataReader reader, Func<string, Exception?, Exception> damaged)
    {
        var sequence = reader.GetInt64(0);
        var where = $"settings_history (sequence {sequence})";
        return new SettingsChange(
            sequence,
            FromTicks(reader.GetInt64(1)),
            reader.GetString(2),
            ReadKind(reader.GetString(3), where, damaged),
            reader.GetString(4),
            ReadSettings(reader.GetString(5), where + " before_json", damaged),
            ReadSettings(reader.GetString(6), where + " after_json", damaged),
            ReadBreaches(reader.GetString(7), where, damaged),
            reader.GetString(8));
    }

    /// <summary>The current-settings row selected as <c>sequence, settings_json</c> (no settings stored yet: the defaults).</summary>
    public static VersionedSettings ReadCurrent(DbDataReader reader, Func<string, Exception?, Exception> damaged)
    {
        var sequence = reader.GetInt64(0);
        return reader.IsDBNull(1)
            ? new VersionedSettings(sequence, RouterSettings.Default)
            : new VersionedSettings(sequence, ReadSettings(reader.GetString(1), $"settings_current (sequence {sequence.ToString(CultureInfo.InvariantCulture)})", damaged));
    }

    /// <summary>A change's kind read back from its wire name; any other text is damage, named with the row.</summary>
    public static SettingsChangeKind ReadKind(string text, string where, Func<string, Exception?, Exception> damaged) =>
        WireName.TryParse<SettingsChangeKind>(text, out var kind)
            ? kind
            : throw damaged($"{where} kind: '{text}' is not a settings change kind ({string.Join(", ", Enum.GetValues<SettingsChangeKind>().Select(WireName.Of))})", null);

    /// <summary>Settings JSON read back from a column named by <paramref name="where"/>.</summary>
    public static RouterSettings ReadSettings(string json, string where, Func<string, Exception?, Exception> damaged)
    {
        try
        {
            return RouterSettingsJson.Deserialize(json);
        }
        catch (FormatException ex)
        {
            throw damaged($"{where}: {ex.Message}", ex);
        }
    }

    private static string[] ReadBreaches(string json, string where, Func<string, Exception?, Exception> damaged)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException ex)
        {
            throw damaged($"{where} breaches_json: expected an array of strings ({ex.Message})", ex);
        }
    }

    private static (bool Ok, double Value) Number(JsonElement v) => v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) ? (true, d) : (false, 0);

    private static (bool Ok, string Value) Text(JsonElement v) => v.ValueKind == JsonValueKind.String ? (true, v.GetString()!) : (false, "");

    private static Dictionary<string, T> ReadMap<T>(string json, string column, Func<string, Exception?, Exception> damaged, Func<JsonElement, (bool Ok, T Value)> value, string expected)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw damaged($"samples.{column}: not JSON ({ex.Message})", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw damaged($"samples.{column}: expected a JSON object", null);
            }
            var map = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var p in document.RootElement.EnumerateObject())
            {
                var (ok, v) = value(p.Value);
                map[p.Name] = ok ? v : throw damaged($"samples.{column}: '{p.Name}' is not {expected}", null);
            }
            return map;
        }
    }

    private static string Write<T>(IReadOnlyDictionary<string, T> map, Action<Utf8JsonWriter, string, T> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                write(w, name, value);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
