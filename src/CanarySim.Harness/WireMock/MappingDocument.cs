using System.Text.Json;
using System.Text.Json.Nodes;
using CanarySim.Core.Documents;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// The text of one mapping file as a JSON array of mappings (a file holding one mapping object reads as an
/// array of one), with the line of every field (path such as <c>[2].Response.StatusCode</c>) and the fields
/// written twice. JSON syntax errors name the file and line.
/// </summary>
internal sealed class MappingDocument
{
    private readonly JsonFieldLines _read;

    private MappingDocument(JsonFieldLines read, JsonArray mappings)
    {
        _read = read;
        Mappings = mappings;
    }

    /// <summary>One JSON object per stub, in the order the file lists them.</summary>
    public JsonArray Mappings { get; }

    /// <summary>Fields written twice in one object: the path and the line of the second one.</summary>
    public IReadOnlyList<(string Path, int Line)> Duplicates => _read.Duplicates;

    /// <summary>Reads <paramref name="text"/> of the file <paramref name="source"/>.</summary>
    /// <exception cref="WireMockAdminException">Not valid JSON, or neither a mapping nor a list of mappings; the message names the file and line.</exception>
    public static MappingDocument Parse(string text, string source)
    {
        JsonFieldLines read;
        try
        {
            var single = text.TrimStart().StartsWith('{');
            read = JsonFieldLines.Read(text, single ? "[0]" : "");
        }
        catch (JsonException e)
        {
            throw new WireMockAdminException($"{source}: line {(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message}); expected a JSON array of WireMock.Net mappings.", e);
        }
        return read.Root switch
        {
            JsonArray a => new MappingDocument(read, a),
            JsonObject o => new MappingDocument(read, [o]),
            _ => throw new WireMockAdminException($"{source}: line 1: expected a JSON array of WireMock.Net mappings (or one mapping object)."),
        };
    }

    /// <summary>The line of <paramref name="path"/>, or of its nearest ancestor that has one (0 when none does).</summary>
    public int LineOf(string path) => _read.LineOf(path);
}
