using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CanarySim.Core.Routing;

namespace CanarySim.Harness.Engines;

/// <summary>
/// Parses an engine's JSON answer into an <see cref="EngineResponse"/>. Two shapes are understood:
/// a <b>plan</b> (<c>agent</c>, <c>steps</c>, <c>tools</c>, <c>dry_run</c>) and a <b>conversation
/// turn</b> (<c>action</c>, <c>nextSlot</c>, <c>extractedData</c>, <c>confirmCard</c>,
/// <c>llmCalls</c>, <c>engineVersion</c>, <c>agentMeta</c>…), whose top-level fields all land in
/// <see cref="EngineResponse.Dimensions"/> under snake_case names (objects as compact JSON).
/// </summary>
public static class EngineAnswerParser
{
    /// <summary>Parses <paramref name="body"/>; <paramref name="source"/> names the engine/URL in errors.</summary>
    /// <exception cref="InvalidEngineOutputException">The body is not a JSON object of either shape, or a field has the wrong type.</exception>
    public static EngineResponse Parse(Engine engine, string body, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InvalidEngineOutputException($"{source}: the answer is not valid JSON ({e.Message}); expected a plan or conversation-turn object. Body: {Clip(body)}", e);
        }
        if (root is not JsonObject o)
        {
            throw new InvalidEngineOutputException($"{source}: the answer is {Describe(root)}, expected a JSON object. Body: {Clip(body)}");
        }
        var isPlan = o.ContainsKey("agent") || o.ContainsKey("steps");
        var isTurn = o.ContainsKey("action");
        if (!isPlan && !isTurn)
        {
            throw new InvalidEngineOutputException($"{source}: the answer has neither 'agent'/'steps' (a plan) nor 'action' (a conversation turn). Body: {Clip(body)}");
        }
        var dims = new Dictionary<string, string>(StringComparer.Ordinal);
        if (isTurn)
        {
            foreach (var (key, value) in o)
            {
                dims[SnakeCase(key)] = value switch
                {
                    null => "",
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    _ => value.ToJsonString(),
                };
            }
            if (o["action"] is not JsonValue av || av.GetValueKind() != JsonValueKind.String)
            {
                throw new InvalidEngineOutputException($"{source}: field 'action' must be a string such as ASK_QUESTION, CONFIRM or COMPLETE. Body: {Clip(body)}");
            }
            if (o["extractedData"] is { } ed && ed is not JsonObject)
            {
                throw new InvalidEngineOutputException($"{source}: field 'extractedData' must be an object of slot → value. Body: {Clip(body)}");
            }
        }
        return new EngineResponse
        {
            Engine = engine,
            Body = body,
            Agent = OptionalString(o, "agent", source, body) ?? OptionalString(o, "agentType", source, body),
            Steps = StringList(o, "steps", source, body),
            Tools = StringList(o, "tools", source, body),
            DryRun = OptionalBool(o, "dry_run", source, body) ?? OptionalBool(o, "dryRun", source, body) ?? false,
            Dimensions = dims,
        };
    }

    private static string? OptionalString(JsonObject o, string field, string source, string body)
    {
        if (!o.TryGetPropertyValue(field, out var n) || n is null)
        {
            return null;
        }
        return n is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new InvalidEngineOutputException($"{source}: field '{field}' must be a string, got {Describe(n)}. Body: {Clip(body)}");
    }

    private static bool? OptionalBool(JsonObject o, string field, string source, string body)
    {
        if (!o.TryGetPropertyValue(field, out var n) || n is null)
        {
            return null;
        }
        return n is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw new InvalidEngineOutputException($"{source}: field '{field}' must be true or false, got {Describe(n)}. Body: {Clip(body)}");
    }

    private static List<string> StringList(JsonObject o, string field, string source, string body)
    {
        if (!o.TryGetPropertyValue(field, out var n) || n is null)
        {
            return [];
        }
        if (n is not JsonArray a)
        {
            throw new InvalidEngineOutputException($"{source}: field '{field}' must be an array of strings, got {Describe(n)}. Body: {Clip(body)}");
        }
        var list = new List<string>(a.Count);
        for (var i = 0; i < a.Count; i++)
        {
            list.Add(a[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw new InvalidEngineOutputException($"{source}: {field}[{i}] must be a string, got {Describe(a[i])}. Body: {Clip(body)}"));
        }
        return list;
    }

    private static string Describe(JsonNode? n) => n switch
    {
        null => "null",
        JsonArray => "an array",
        JsonObject => "an object",
        JsonValue v => v.GetValueKind().ToString().ToLowerInvariant(),
        _ => "unknown",
    };

    private static string Clip(string body) => body.Length <= 300 ? body : body[..300] + "…";

    /// <summary><c>nextSlot</c> → <c>next_slot</c>; already snake names stay as they are.</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_')
                {
                    sb.Append('_');
                }
                sb.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
