using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace CanarySim.Core.Routing;

/// <summary>
/// The snake_case JSON form of <see cref="RouterSettings"/>, shared by the settings store,
/// the guard API and the CLI:
/// <c>{"mode":"canary","canary_pct":10,"kill_switch":false,"salt":"canarysim","phase":"phase8",
/// "segments":{"billing":{"enabled":false},"search":{"enabled":true,"canary_pct":25}},"cohort":["beta-1"]}</c>.
/// Output is deterministic (segments and cohort sorted ordinally). Reading is strict: unknown
/// fields, wrong types, an unknown mode and a percentage outside 0–100 (or NaN) are rejected with a
/// <see cref="FormatException"/> naming the field and what was expected.
/// </summary>
public static class RouterSettingsJson
{
    private const string ModeField = "mode";
    private const string CanaryPctField = "canary_pct";
    private const string KillSwitchField = "kill_switch";
    private const string SaltField = "salt";
    private const string PhaseField = "phase";
    private const string SegmentsField = "segments";
    private const string CohortField = "cohort";
    private const string EnabledField = "enabled";

    private static readonly string KnownFields =
        string.Join(", ", ModeField, CanaryPctField, KillSwitchField, SaltField, PhaseField, SegmentsField, CohortField);

    /// <summary>Serialises <paramref name="settings"/> to its JSON object text.</summary>
    /// <exception cref="ArgumentException">A percentage is NaN or infinite (JSON cannot carry it).</exception>
    public static string Serialize(RouterSettings settings, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(writer, settings);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes <paramref name="settings"/> as one JSON object (for embedding in a larger document).</summary>
    /// <exception cref="ArgumentException">A percentage is NaN or infinite (JSON cannot carry it).</exception>
    public static void Write(Utf8JsonWriter writer, RouterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(settings);
        writer.WriteStartObject();
        writer.WriteString(ModeField, WireName.Of(settings.Mode));
        writer.WriteNumber(CanaryPctField, Finite(settings.CanaryPct, CanaryPctField));
        writer.WriteBoolean(KillSwitchField, settings.KillSwitch);
        writer.WriteString(SaltField, settings.Salt);
        writer.WriteString(PhaseField, settings.Phase);
        writer.WriteStartObject(SegmentsField);
        foreach (var (name, segment) in settings.Segments.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject(name);
            writer.WriteBoolean(EnabledField, segment.Enabled);
            if (segment.CanaryPct is { } pct)
            {
                writer.WriteNumber(CanaryPctField, Finite(pct, $"{SegmentsField}.{name}.{CanaryPctField}"));
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteStartArray(CohortField);
        foreach (var key in settings.Cohort.Order(StringComparer.Ordinal))
        {
            writer.WriteStringValue(key);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Parses a JSON object text; fields it omits keep the values of <paramref name="defaults"/> (<see cref="RouterSettings.Default"/> when null).</summary>
    /// <exception cref="FormatException">The text is not JSON, not an object, or a field is unknown or invalid; the message names the field.</exception>
    public static RouterSettings Deserialize(string json, RouterSettings? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"router settings: not valid JSON ({ex.Message})", ex);
        }
        using (document)
        {
            return Read(document.RootElement, defaults);
        }
    }

    /// <summary>
    /// Reads settings from a JSON object; fields it omits keep the values of <paramref name="defaults"/>
    /// (<see cref="RouterSettings.Default"/> when null), so a partial object works as a patch.
    /// </summary>
    /// <exception cref="FormatException">Not an object, or a field is unknown or invalid; the message names the field and what was expected.</exception>
    public static RouterSettings Read(JsonElement element, RouterSettings? defaults = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"router settings: expected a JSON object, got {Describe(element)}");
        }
        var result = defaults ?? RouterSettings.Default;
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            result = property.Name switch
            {
                ModeField => result with { Mode = ReadMode(value) },
                CanaryPctField => result with { CanaryPct = ReadPercentage(value, CanaryPctField) },
                KillSwitchField => result with { KillSwitch = ReadBool(value, KillSwitchField) },
                SaltField => result with { Salt = ReadString(value, SaltField) },
                PhaseField => result with { Phase = ReadString(value, PhaseField) },
                SegmentsField => result with { Segments = ReadSegments(value) },
                CohortField => result with { Cohort = ReadCohort(value) },
                _ => throw new FormatException($"router settings: unknown field '{property.Name}'; expected one of {KnownFields}"),
            };
        }
        return result;
    }

    private static double Finite(double value, string field) =>
        double.IsFinite(value) ? value : throw new ArgumentException($"router settings: {field} is {value}; JSON needs a finite number", nameof(value));

    private static RouterMode ReadMode(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && WireName.TryParseIgnoreCase<RouterMode>(value.GetString(), out var mode)
            ? mode
            : throw new FormatException($"router settings: {ModeField}: expected one of primary, shadow, canary, candidate, got {Describe(value)}");

    // The API and CLI reject out-of-range or NaN percentages instead of clamping them.
    private static double ReadPercentage(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var pct) || !double.IsFinite(pct) || pct < 0 || pct > 100)
        {
            throw new FormatException($"router settings: {field}: expected a number from 0 to 100, got {Describe(value)}");
        }
        return pct;
    }

    private static bool ReadBool(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new FormatException($"router settings: {field}: expected true or false, got {Describe(value)}"),
    };

    private static string ReadString(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"router settings: {field}: expected a string, got {Describe(value)}");

    /// <summary>Reads a <c>segments</c> object (<c>{"name": {"enabled": bool, "canary_pct": number|null}}</c>), as the settings JSON holds it.</summary>
    /// <exception cref="FormatException">Naming the segment and field and what was expected.</exception>
    public static ImmutableDictionary<string, SegmentOverride> ParseSegments(JsonElement value) => ReadSegments(value);

    /// <summary>Reads a <c>cohort</c> array of keys (session or user ids), as the settings JSON holds it.</summary>
    /// <exception cref="FormatException">Naming the item and what was expected.</exception>
    public static ImmutableHashSet<string> ParseCohort(JsonElement value) => ReadCohort(value);

    private static ImmutableDictionary<string, SegmentOverride> ReadSegments(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"router settings: {SegmentsField}: expected an object of segment name to {{\"enabled\":bool,\"canary_pct\":number}}, got {Describe(value)}");
        }
        var builder = ImmutableDictionary.CreateBuilder<string, SegmentOverride>(StringComparer.Ordinal);
        foreach (var segment in value.EnumerateObject())
        {
            var path = $"{SegmentsField}.{segment.Name}";
            if (segment.Value.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"router settings: {path}: expected an object {{\"enabled\":bool,\"canary_pct\":number}}, got {Describe(segment.Value)}");
            }
            bool? enabled = null;
            double? pct = null;
            foreach (var field in segment.Value.EnumerateObject())
            {
                switch (field.Name)
                {
                    case EnabledField:
                        enabled = ReadBool(field.Value, $"{path}.{EnabledField}");
                        break;
                    case CanaryPctField:
                        pct = field.Value.ValueKind == JsonValueKind.Null ? null : ReadPercentage(field.Value, $"{path}.{CanaryPctField}");
                        break;
                    default:
                        throw new FormatException($"router settings: {path}: unknown field '{field.Name}'; expected {EnabledField}, {CanaryPctField}");
                }
            }
            if (enabled is null)
            {
                throw new FormatException($"router settings: {path}.{EnabledField}: required (true or false)");
            }
            if (!builder.TryAdd(segment.Name, new SegmentOverride(enabled.Value, pct)))
            {
                throw new FormatException($"router settings: {path}: segment named twice");
            }
        }
        return builder.ToImmutable();
    }

    private static ImmutableHashSet<string> ReadCohort(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"router settings: {CohortField}: expected an array of keys, got {Describe(value)}");
        }
        var builder = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            builder.Add(ReadString(item, $"{CohortField}[{index}]"));
            index++;
        }
        return builder.ToImmutable();
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString(),
    };
}
