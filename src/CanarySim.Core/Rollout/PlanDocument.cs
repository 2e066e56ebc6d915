using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CanarySim.Core.Documents;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CanarySim.Core.Rollout;

/// <summary>
/// Plan text (YAML or JSON) as one JSON document, with the line of every field and list item (path such as
/// <c>stages[2].percent</c> → 1-based line). YAML plain scalars are typed like YAML 1.2 does (numbers, true/false,
/// null, else text); <see cref="Retype"/> lets the schema check re-read one as the type its field expects.
/// Syntax errors name the file and line.
/// </summary>
internal sealed class PlanDocument
{
    private readonly Dictionary<string, string> _plain = new(StringComparer.Ordinal);

    private PlanDocument(string source) => Source = source;

    public string Source { get; }

    public JsonNode? Root { get; private set; }

    /// <summary>Field path → line; the root object is the empty path.</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    /// <summary>Problems found while reading (duplicate fields).</summary>
    public List<PlanValidationError> Errors { get; } = [];

    public static PlanDocument Read(string text, string source, bool json)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Fail(source, 1, "the plan file is empty");
        }
        var doc = new PlanDocument(source);
        doc.Root = json ? doc.ReadJson(text) : doc.ReadYaml(text);
        return doc;
    }

    public int LineOf(string path) => JsonFieldLines.LineOf(Lines, path);

    /// <summary>The parent of a field path (<c>stages[2].percent</c> → <c>stages[2]</c> → <c>stages</c> → empty).</summary>
    public static string Parent(string path) => JsonFieldLines.Parent(path);

    /// <summary>Re-reads a YAML plain scalar as <paramref name="type"/> (a JSON Schema type name); false when it is not one or cannot be.</summary>
    public bool Retype(string path, JsonNode? node, string type)
    {
        if (!_plain.TryGetValue(path, out var raw) || node?.Parent is not { } parent)
        {
            return false;
        }
        JsonNode? typed = type switch
        {
            "string" => JsonValue.Create(raw),
            "boolean" => raw.ToLowerInvariant() switch { "yes" or "on" => JsonValue.Create(true), "no" or "off" => JsonValue.Create(false), _ => null },
            "number" or "integer" => Number(raw.Replace("_", "", StringComparison.Ordinal)),
            _ => null,
        };
        if (typed is null)
        {
            return false;
        }
        switch (parent)
        {
            case JsonObject o:
                o[node.GetPropertyName()] = typed;
                break;
            case JsonArray a:
                a[node.GetElementIndex()] = typed;
                break;
        }
        _plain.Remove(path);
        return true;
    }

    private static PlanValidationException Fail(string source, int line, string message) =>
        new([new PlanValidationError(source, line, "", message)]);

    private JsonNode? ReadYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw Fail(Source, (int)ex.Start.Line, "YAML syntax error: " + (ex.InnerException?.Message ?? ex.Message));
        }
        if (stream.Documents.Count == 0)
        {
            throw Fail(Source, 1, "the plan file is empty");
        }
        if (stream.Documents.Count > 1)
        {
            throw Fail(Source, (int)stream.Documents[1].RootNode.Start.Line, "expected one YAML document, found several");
        }
        var root = stream.Documents[0].RootNode;
        Lines[""] = (int)root.Start.Line;
        return FromYaml(root, "");
    }

    private JsonNode? FromYaml(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var o = new JsonObject();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (k, v) in map.Children)
                {
                    var key = k is YamlScalarNode ks ? ks.Value ?? "" : k.ToString();
                    var p = Join(path, key);
                    if (!seen.Add(key))
                    {
                        Errors.Add(new PlanValidationError(Source, (int)k.Start.Line, p, $"duplicate field '{key}'"));
                        continue;
                    }
                    Lines[p] = (int)k.Start.Line;
                    // An empty value means the field is absent (its default applies).
                    if (FromYaml(v, p) is { } value)
                    {
                        o[key] = value;
                    }
                }
                return o;
            case YamlSequenceNode seq:
                var a = new JsonArray();
                foreach (var item in seq.Children)
                {
                    var p = $"{path}[{a.Count}]";
                    Lines[p] = (int)item.Start.Line;
                    a.Add(FromYaml(item, p));
                }
                return a;
            case YamlScalarNode scalar when scalar.Style == ScalarStyle.Plain:
                var raw = scalar.Value ?? "";
                _plain[path] = raw;
                return raw switch
                {
                    "" or "~" or "null" or "Null" or "NULL" => null,
                    "true" or "True" or "TRUE" => JsonValue.Create(true),
                    "false" or "False" or "FALSE" => JsonValue.Create(false),
                    _ => Number(raw) ?? JsonValue.Create(raw),
                };
            case YamlScalarNode scalar:
                return JsonValue.Create(scalar.Value ?? "");
            default:
                return null;
        }
    }

    private static JsonValue? Number(string raw)
    {
        if (raw.Length == 0 || !(char.IsAsciiDigit(raw[0]) || raw[0] is '-' or '+' or '.'))
        {
            return null;
        }
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? JsonValue.Create(v) : null;
    }

    private static string Join(string path, string key) => JsonFieldLines.Join(path, key);

    private JsonNode? ReadJson(string text)
    {
        JsonFieldLines read;
        try
        {
            // an empty value means the field is absent (its default applies), as in YAML
            read = JsonFieldLines.Read(text, dropNulls: true);
        }
        catch (JsonException ex)
        {
            throw Fail(Source, (int)(ex.LineNumber ?? 0) + 1, "JSON syntax error: " + ex.Message);
        }
        foreach (var (path, line) in read.Lines)
        {
            Lines[path] = line;
        }
        Errors.AddRange(read.Duplicates.Select(d => new PlanValidationError(Source, d.Line, d.Path, $"duplicate field '{d.Path[(d.Path.LastIndexOf('.') + 1)..]}'")));
        return read.Root;
    }
}
