using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CanarySim.Core.Documents;

/// <summary>
/// JSON text read as a <see cref="JsonNode"/> together with the 1-based line of every field and list item, by field
/// path (<c>stages[2].percent</c>; the root is the empty path), and the fields written twice in one object (the first
/// one is kept). Comments and trailing commas are allowed.
/// </summary>
public sealed class JsonFieldLines
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly List<(string Path, int Line)> _duplicates = [];
    private readonly bool _dropNulls;

    private JsonFieldLines(bool dropNulls) => _dropNulls = dropNulls;

    /// <summary>The document; null when it is JSON <c>null</c>.</summary>
    public JsonNode? Root { get; private set; }

    /// <summary>Field path → line.</summary>
    public IReadOnlyDictionary<string, int> Lines => _lines;

    /// <summary>Fields written twice in one object: the path and the line of the second one.</summary>
    public IReadOnlyList<(string Path, int Line)> Duplicates => _duplicates;

    /// <summary>
    /// Reads <paramref name="text"/>; paths start at <paramref name="rootPath"/> (e.g. <c>[0]</c>). With
    /// <paramref name="dropNulls"/> a field whose value is <c>null</c> is left out (as if absent).
    /// </summary>
    /// <exception cref="JsonException">Not valid JSON, empty, or more than one document; <see cref="JsonException.LineNumber"/> is 0-based.</exception>
    public static JsonFieldLines Read(string text, string rootPath = "", bool dropNulls = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }
        int LineAt(long offset)
        {
            var at = lineStarts.BinarySearch((int)offset);
            return (at >= 0 ? at : ~at - 1) + 1;
        }
        var doc = new JsonFieldLines(dropNulls);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read())
        {
            throw new JsonException("the document is empty", null, 0, 0);
        }
        doc._lines[rootPath] = LineAt(reader.TokenStartIndex);
        doc.Root = doc.Read(ref reader, rootPath, LineAt);
        if (reader.Read())
        {
            throw new JsonException("unexpected content after the JSON document", null, LineAt(reader.TokenStartIndex) - 1, 0);
        }
        return doc;
    }

    /// <summary>The line of <paramref name="path"/>, or of its nearest ancestor that has one (0 when none does).</summary>
    public int LineOf(string path) => LineOf(_lines, path);

    /// <summary>The line of <paramref name="path"/> in <paramref name="lines"/>, or of its nearest ancestor that has one (0 when none does).</summary>
    public static int LineOf(IReadOnlyDictionary<string, int> lines, string path)
    {
        ArgumentNullException.ThrowIfNull(lines);
        for (var p = path; ; p = Parent(p))
        {
            if (lines.TryGetValue(p, out var line))
            {
                return line;
            }
            if (p.Length == 0)
            {
                return 0;
            }
        }
    }

    /// <summary>The parent of a field path (<c>stages[2].percent</c> → <c>stages[2]</c> → <c>stages</c> → empty).</summary>
    public static string Parent(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    /// <summary><paramref name="path"/>.<paramref name="field"/> (just the field at the root).</summary>
    public static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    private delegate int LineOfOffset(long offset);

    private JsonNode? Read(ref Utf8JsonReader reader, string path, LineOfOffset lineAt)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var o = new JsonObject();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString() ?? "";
                    var keyLine = lineAt(reader.TokenStartIndex);
                    var p = Join(path, key);
                    reader.Read();
                    var value = Read(ref reader, p, lineAt);
                    if (!seen.Add(key))
                    {
                        _duplicates.Add((p, keyLine));
                        continue;
                    }
                    _lines[p] = keyLine;
                    if (value is not null || !_dropNulls)
                    {
                        o[key] = value;
                    }
                }
                return o;
            case JsonTokenType.StartArray:
                var a = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var p = $"{path}[{a.Count}]";
                    _lines[p] = lineAt(reader.TokenStartIndex);
                    a.Add(Read(ref reader, p, lineAt));
                }
                return a;
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True or JsonTokenType.False:
                return JsonValue.Create(reader.GetBoolean());
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var whole) ? JsonValue.Create(whole) : JsonValue.Create(reader.GetDouble());
            default:
                return JsonValue.Create(reader.GetString() ?? "");
        }
    }
}
