using System.Text.Json.Nodes;

namespace CanarySim.Core.Documents;

/// <summary>JSON pointers (as JSON Schema evaluation reports them) turned into field paths and nodes.</summary>
public static class JsonPointers
{
    /// <summary>The field path (<c>stages[1].percent</c>) and the node a JSON pointer (<c>/stages/1/percent</c>) names in <paramref name="root"/> (null when absent).</summary>
    public static (string Path, JsonNode? Node) Locate(JsonNode? root, string pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        var node = root;
        var path = "";
        foreach (var segment in Segments(pointer))
        {
            if (node is JsonArray array && int.TryParse(segment, out var index))
            {
                path += $"[{index}]";
                node = index < array.Count ? array[index] : null;
            }
            else
            {
                path = JsonFieldLines.Join(path, segment);
                node = node is JsonObject o && o.TryGetPropertyValue(segment, out var child) ? child : null;
            }
        }
        return (path, node);
    }

    /// <summary>The subschema of <paramref name="schema"/> an evaluation path (<c>/properties/stages/items/$ref/…</c>) ends at, following local <c>$ref</c>s.</summary>
    public static JsonNode? Resolve(JsonNode schema, string evaluationPath)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(evaluationPath);
        JsonNode? node = schema;
        foreach (var segment in Segments(evaluationPath))
        {
            node = segment == "$ref" && (node as JsonObject)?["$ref"]?.GetValue<string>() is { } target
                ? Resolve(schema, target.TrimStart('#'))
                : node switch
                {
                    JsonArray a when int.TryParse(segment, out var i) && i < a.Count => a[i],
                    JsonObject o => o[segment],
                    _ => null,
                };
        }
        return node;
    }

    private static IEnumerable<string> Segments(string pointer) =>
        pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(raw => raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
}
