using System.Globalization;
using System.Reflection;
using System.Text.Json;
using CanarySim.Core.Documents;
using CanarySim.Core.Judging;

namespace CanarySim.Core.Detection;

/// <summary>
/// Loads a detector policy from JSON into <see cref="DetectorOptions"/>: a <c>canarysim.policy/v2</c>
/// document (<c>"schema": "canarysim.policy/v2"</c>, declared checks, validated against the published
/// JSON Schema) or the older flat form, which is converted to the same checks
/// (<see cref="DefaultChecks.From"/>). Never opens files: callers hand over the text or a stream.
/// Flat fields are the snake_case
/// names of the options' properties (<c>min_samples</c>, <c>quality_drop_max</c>,
/// <c>latency_p95_max_ms</c>, <c>window_kind</c>: <c>count</c>|<c>time</c>, <c>window_duration</c>, …,
/// <c>judge</c>: { <c>metrics</c>: [ { <c>name</c>, <c>direction</c>, <c>critical</c>, … } ], … });
/// absent fields keep the defaults of <see cref="DetectorOptions"/>. Durations are <c>"5m"</c>, <c>"300s"</c>, <c>"1h"</c>,
/// <c>"250ms"</c> or <c>"00:05:00"</c>; rates are fractions (0.05 = 5 %). Unknown fields, wrong
/// types and out-of-range values are errors naming the file and the field.
/// </summary>
public static class PolicyLoader
{
    private static readonly HashSet<string> Ignored = ["$schema", "description", "name"];

    /// <summary>Parses policy JSON; <paramref name="source"/> names it in errors.</summary>
    public static DetectorOptions Parse(string json, string source = "<policy>")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new PolicyException(source, null, JsonSyntax.InDocument(ex));
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyException(source, null, $"expected a JSON object, got {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            }
            if (doc.RootElement.TryGetProperty("schema", out var schema))
            {
                if (schema.ValueKind != JsonValueKind.String || schema.GetString() != PolicyV2Reader.SchemaName)
                {
                    throw new PolicyException(source, "schema", $"expected \"{PolicyV2Reader.SchemaName}\", got {schema.GetRawText()}");
                }
                return PolicyV2Reader.Read(doc.RootElement, source);
            }
            var options = new DetectorOptions();
            Bind(options, doc.RootElement, "", source);
            var errors = options.Validate();
            if (errors.Count > 0)
            {
                var first = errors[0];
                var colon = first.IndexOf(':', StringComparison.Ordinal);
                var field = ToSnakePath(first[..colon]);
                var rest = errors.Count > 1 ? $" (and {errors.Count - 1} more: {string.Join("; ", errors.Skip(1).Select(e => ToSnakePath(e[..e.IndexOf(':', StringComparison.Ordinal)]) + e[e.IndexOf(':', StringComparison.Ordinal)..]))})" : "";
                throw new PolicyException(source, field, first[(colon + 2)..] + rest);
            }
            return options;
        }
    }

    /// <summary>Reads and parses a policy from <paramref name="stream"/> (UTF-8); <paramref name="source"/> names it in errors.</summary>
    public static DetectorOptions Parse(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return Parse(reader.ReadToEnd(), source);
    }

    /// <summary>The built-in policy as a <c>canarysim.policy/v2</c> document (<c>fixtures/policies/default.json</c>, embedded).</summary>
    public static string DefaultPolicyJson => PolicySchema.Resource("default-policy.json");

    /// <summary>Binds a flat-form <c>judge</c> object (also the v2 policy's <c>judge</c>).</summary>
    internal static JudgeOptions BindJudge(JsonElement judge, string source) => (JudgeOptions)Convert(typeof(JudgeOptions), judge, "judge", source)!;

    /// <summary>Parses a duration: <c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c> or a TimeSpan like <c>00:05:00</c>.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        (string Suffix, double Ms)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];
        foreach (var (suffix, ms) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                && double.IsFinite(n))
            {
                duration = TimeSpan.FromMilliseconds(n * ms);
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }

    private static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    private static string ToSnakePath(string path) =>
        string.Join('.', path.Split('.').Select(part =>
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            return bracket < 0 ? Snake(part) : Snake(part[..bracket]) + part[bracket..];
        }));

    private static void Bind(object target, JsonElement element, string prefix, string source)
    {
        var properties = target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => Snake(p.Name), StringComparer.Ordinal);
        foreach (var field in element.EnumerateObject())
        {
            var path = prefix + field.Name;
            if (prefix.Length == 0 && Ignored.Contains(field.Name))
            {
                continue;
            }
            if (!properties.TryGetValue(field.Name, out var property))
            {
                throw new PolicyException(source, path, $"unknown field, expected one of {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}");
            }
            property.SetValue(target, Convert(property.PropertyType, field.Value, path, source));
        }
    }

    private static object? Convert(Type type, JsonElement value, string path, string source)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return value.ValueKind == JsonValueKind.Null ? null : Convert(underlying, value, path, source);
        }
        if (type == typeof(int))
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : throw Expected(source, path, "an integer", value);
        }
        if (type == typeof(double))
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw Expected(source, path, "a number", value);
        }
        if (type == typeof(bool))
        {
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Expected(source, path, "true or false", value),
            };
        }
        if (type == typeof(string))
        {
            return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Expected(source, path, "a string", value);
        }
        if (type == typeof(TimeSpan))
        {
            return value.ValueKind == JsonValueKind.String && TryParseDuration(value.GetString(), out var span)
                ? span
                : throw Expected(source, path, "a duration like \"5m\", \"300s\", \"1h\" or \"00:05:00\"", value);
        }
        if (type.IsEnum)
        {
            var names = WireNames(type);
            if (value.ValueKind == JsonValueKind.String && names.TryGetValue(value.GetString()!, out var member))
            {
                return member;
            }
            throw Expected(source, path, "one of " + string.Join(", ", names.Keys.Select(n => $"\"{n}\"")), value);
        }
        if (type == typeof(JudgeOptions) || type == typeof(JudgedMetric))
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Expected(source, path, "an object", value);
            }
            var target = Activator.CreateInstance(type)!;
            Bind(target, value, path + ".", source);
            return target;
        }
        if (type == typeof(IList<JudgedMetric>))
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Expected(source, path, "an array", value);
            }
            var list = new List<JudgedMetric>();
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                list.Add((JudgedMetric)Convert(typeof(JudgedMetric), item, $"{path}[{index++}]", source)!);
            }
            return list;
        }
        if (type == typeof(IDictionary<string, double>))
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Expected(source, path, "an object of numbers", value);
            }
            var map = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var entry in value.EnumerateObject())
            {
                map[entry.Name] = (double)Convert(typeof(double), entry.Value, $"{path}.{entry.Name}", source)!;
            }
            return map;
        }
        throw new PolicyException(source, path, $"field of type {type.Name} cannot be set from a policy file");
    }

    private static Dictionary<string, object> WireNames(Type enumType)
    {
        var names = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in enumType.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var wire = field.GetCustomAttribute<System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute>()?.Name ?? Snake(field.Name);
            names[wire] = field.GetValue(null)!;
        }
        return names;
    }

    private static PolicyException Expected(string source, string path, string what, JsonElement got) =>
        new(source, path, $"expected {what}, got {(got.ValueKind == JsonValueKind.String ? $"\"{got.GetString()}\"" : got.GetRawText())}");

}
