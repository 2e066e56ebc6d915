using System.Globalization;
using System.Text;
using System.Text.Json;
using CanarySim.Core.Documents;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// The JSON form of a <see cref="Sample"/>, one object per line in <c>.jsonl</c> files:
/// <c>{"engine":"v2","at":"2026-02-19T10:00:00Z","latency_ms":812,"quality":93.5,"cost_cents":1.9,"error":false,"fallback":false,"policy_violation":false,"complaint":false}</c>
/// plus optional <c>tokens</c>, <c>agent</c>, <c>scenario</c>, <c>role</c>, <c>metrics</c>
/// (<c>{"llm_call": true, "tool_calls": 3}</c>: numbers or bools, a bool read as 1/0 and written back
/// as a number) and <c>tags</c> (<c>{"region": "eu"}</c>: strings). <c>engine</c>, <c>at</c>,
/// <c>latency_ms</c>, <c>quality</c> and <c>cost_cents</c> are required; the flags default to false,
/// <c>tokens</c> to 0. Unknown fields are rejected (a misspelt field must not silently read as 0).
/// </summary>
public static class SampleJson
{
    private static readonly HashSet<string> Known =
    [
        "engine", "at", "latency_ms", "quality", "cost_cents", "error", "fallback", "policy_violation", "complaint", "tokens", "agent", "scenario", "role",
        "metrics", "tags",
    ];

    private static readonly string[] Required = ["engine", "at", "latency_ms", "quality", "cost_cents"];

    /// <summary>Parses one JSON object; errors name <paramref name="source"/> and <paramref name="line"/>.</summary>
    public static Sample Parse(string json, string source = "<input>", int line = 1)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new SampleFormatException(source, line, null, JsonSyntax.OnLine(ex));
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SampleFormatException(source, line, null, $"expected a JSON object, got {root.ValueKind.ToString().ToLowerInvariant()}");
            }
            foreach (var property in root.EnumerateObject())
            {
                if (!Known.Contains(property.Name))
                {
                    throw new SampleFormatException(source, line, property.Name, $"unknown field, expected one of {string.Join(", ", Known)}");
                }
            }
            foreach (var name in Required)
            {
                if (!root.TryGetProperty(name, out _))
                {
                    throw new SampleFormatException(source, line, name, "required field is missing");
                }
            }
            var engineText = String(root, "engine", source, line);
            if (!WireName.TryParseIgnoreCase<Engine>(engineText, out var engine))
            {
                throw new SampleFormatException(source, line, "engine", $"expected \"v1\" or \"v2\", got \"{engineText}\"");
            }
            var atText = String(root, "at", source, line);
            if (!TryParseAt(atText, out var at))
            {
                throw new SampleFormatException(source, line, "at", $"expected an ISO 8601 timestamp like 2026-02-19T10:00:00Z, got \"{atText}\"");
            }
            var sample = new Sample
            {
                Engine = engine,
                At = at,
                LatencyMs = Number(root, "latency_ms", source, line),
                Quality = Number(root, "quality", source, line),
                CostCents = Number(root, "cost_cents", source, line),
                Error = Flag(root, "error", source, line),
                Fallback = Flag(root, "fallback", source, line),
                PolicyViolation = Flag(root, "policy_violation", source, line),
                Complaint = Flag(root, "complaint", source, line),
                Tokens = Tokens(root, source, line),
                Agent = OptionalString(root, "agent", source, line),
                Scenario = OptionalString(root, "scenario", source, line),
                Role = OptionalString(root, "role", source, line),
                Metrics = Metrics(root, source, line),
                Tags = Tags(root, source, line),
            };
            if (SampleRules.Check(sample) is { } problem)
            {
                var colon = problem.IndexOf(':', StringComparison.Ordinal);
                throw new SampleFormatException(source, line, problem[..colon], problem[(colon + 2)..]);
            }
            return sample;
        }
    }

    /// <summary>Reads a <c>.jsonl</c> stream lazily, skipping blank lines; a bad line throws <see cref="SampleFormatException"/> naming <paramref name="source"/> and the line.</summary>
    public static IEnumerable<Sample> ReadLines(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lineNumber = 0;
        while (reader.ReadLine() is { } text)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            yield return Parse(text, source, lineNumber);
        }
    }

    /// <summary>One sample as a single-line JSON object with snake_case fields.</summary>
    public static string Write(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("engine", WireName.Of(sample.Engine));
            w.WriteString("at", FormatAt(sample.At));
            w.WriteNumber("latency_ms", sample.LatencyMs);
            w.WriteNumber("quality", sample.Quality);
            w.WriteNumber("cost_cents", sample.CostCents);
            w.WriteBoolean("error", sample.Error);
            w.WriteBoolean("fallback", sample.Fallback);
            w.WriteBoolean("policy_violation", sample.PolicyViolation);
            w.WriteBoolean("complaint", sample.Complaint);
            w.WriteNumber("tokens", sample.Tokens);
            if (sample.Agent is not null)
            {
                w.WriteString("agent", sample.Agent);
            }
            if (sample.Scenario is not null)
            {
                w.WriteString("scenario", sample.Scenario);
            }
            if (sample.Role is not null)
            {
                w.WriteString("role", sample.Role);
            }
            if (sample.Metrics is { Count: > 0 } metrics)
            {
                w.WriteStartObject("metrics");
                foreach (var (name, value) in metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    w.WriteNumber(name, value);
                }
                w.WriteEndObject();
            }
            if (sample.Tags is { Count: > 0 } tags)
            {
                w.WriteStartObject("tags");
                foreach (var (name, value) in tags.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    w.WriteString(name, value);
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes samples as <c>.jsonl</c>, one per line.</summary>
    public static void WriteLines(TextWriter writer, IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(samples);
        foreach (var sample in samples)
        {
            writer.Write(Write(sample));
            writer.Write('\n');
        }
    }

    /// <summary>
    /// Parses a sample time: an ISO 8601 date and time (the <c>T</c> is required, so a bare date is refused);
    /// without an offset it is taken as UTC.
    /// </summary>
    public static bool TryParseAt(string? text, out DateTimeOffset at)
    {
        at = default;
        return text is not null
            && text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
    }

    /// <summary>ISO 8601 in UTC with a trailing Z and only the fractional digits needed.</summary>
    public static string FormatAt(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string? String(JsonElement root, string name, string source, int line)
    {
        var value = root.GetProperty(name);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new SampleFormatException(source, line, name, $"expected a string, got {Describe(value)}");
    }

    private static string? OptionalString(JsonElement root, string name, string source, int line) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null : String(root, name, source, line);

    private static double Number(JsonElement root, string name, string source, int line)
    {
        var value = root.GetProperty(name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw new SampleFormatException(source, line, name, $"expected a number, got {Describe(value)}");
    }

    private static bool Flag(JsonElement root, string name, string source, int line)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return false;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new SampleFormatException(source, line, name, $"expected true or false, got {Describe(value)}"),
        };
    }

    private static int Tokens(JsonElement root, string source, int line)
    {
        if (!root.TryGetProperty("tokens", out var value))
        {
            return 0;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)
            ? n
            : throw new SampleFormatException(source, line, "tokens", $"expected an integer, got {Describe(value)}");
    }

    private static Dictionary<string, double>? Metrics(JsonElement root, string source, int line)
    {
        if (!root.TryGetProperty("metrics", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SampleFormatException(source, line, "metrics", $"expected an object of numbers or bools, got {Describe(value)}");
        }
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in value.EnumerateObject())
        {
            metrics[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                JsonValueKind.Number when p.Value.TryGetDouble(out var d) && double.IsFinite(d) => d,
                _ => throw new SampleFormatException(source, line, $"metrics.{p.Name}", $"expected a number or true/false, got {Describe(p.Value)}"),
            };
        }
        return metrics;
    }

    private static Dictionary<string, string>? Tags(JsonElement root, string source, int line)
    {
        if (!root.TryGetProperty("tags", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SampleFormatException(source, line, "tags", $"expected an object of strings, got {Describe(value)}");
        }
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in value.EnumerateObject())
        {
            tags[p.Name] = p.Value.ValueKind == JsonValueKind.String
                ? p.Value.GetString()!
                : throw new SampleFormatException(source, line, $"tags.{p.Name}", $"expected a string, got {Describe(p.Value)}");
        }
        return tags;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };
}
