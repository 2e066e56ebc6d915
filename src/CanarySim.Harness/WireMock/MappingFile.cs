using System.Text.Json.Nodes;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// Reads and checks mapping files in WireMock.Net's own mapping JSON (the files under <c>fixtures/wiremock/</c>):
/// the shape against <see cref="MappingSchema"/>, then <see cref="MappingRules"/>. A bad file is refused as a
/// whole with every problem, each naming the file, line, mapping and field.
/// </summary>
public static class MappingFile
{
    /// <summary>The placeholder replaced by the server's root URL when loading mapping files: <c>${WIREMOCK_BASE_URL}</c>.</summary>
    public const string BaseUrlPlaceholder = "${WIREMOCK_BASE_URL}";

    private const int MaxReported = 20;

    /// <summary>
    /// The checked mappings of one file (a JSON array of mappings, or one mapping object).
    /// <c>${WIREMOCK_BASE_URL}</c> in the text becomes <paramref name="baseUrl"/> (without trailing slash), so
    /// a stub can proxy to another stub on the same server (an engine turn that calls the LLM stub).
    /// </summary>
    /// <exception cref="WireMockAdminException">The file is not valid JSON or a mapping is refused; the message names the file, line and field.</exception>
    public static IReadOnlyList<JsonObject> Read(string file, Uri? baseUrl = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        var text = File.ReadAllText(file);
        if (baseUrl is not null)
        {
            text = text.Replace(BaseUrlPlaceholder, baseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal);
        }
        var doc = MappingDocument.Parse(text, file);
        var problems = doc.Duplicates.Select(d => (d.Path, Message: $"field '{d.Path[(d.Path.LastIndexOf('.') + 1)..]}' is written twice", d.Line)).ToList();
        problems.AddRange(Problems(doc.Mappings).Select(p => (p.Path, p.Message, Line: doc.LineOf(p.Path))));
        if (problems.Count > 0)
        {
            throw new WireMockAdminException(Describe(problems.Select(p => (p.Path, $"line {p.Line}: ", p.Message)).ToList(), doc.Mappings, file + ": "));
        }
        return doc.Mappings.Select(m => m!.AsObject()).ToList();
    }

    /// <summary>Checks one mapping given in code (e.g. <see cref="Stub.ToMapping"/>).</summary>
    /// <exception cref="WireMockAdminException">The mapping is refused; the message names the field.</exception>
    public static void Check(JsonObject mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var list = new JsonArray(mapping.DeepClone());
        var problems = Problems(list);
        if (problems.Count > 0)
        {
            throw new WireMockAdminException(Describe(problems.Select(p => (p.Path, "", p.Message)).ToList(), list, ""));
        }
    }

    private static List<(string Path, string Message)> Problems(JsonArray mappings)
    {
        var problems = MappingSchema.Check(mappings).ToList();
        for (var i = 0; i < mappings.Count; i++)
        {
            var prefix = $"[{i}]";
            if (mappings[i] is JsonObject mapping && !problems.Any(p => p.Path == prefix || p.Path.StartsWith(prefix + ".", StringComparison.Ordinal)))
            {
                problems.AddRange(MappingRules.Check(mapping).Select(p => ($"{prefix}.{p.Path}", p.Message)));
            }
        }
        return problems;
    }

    private static string Describe(List<(string Path, string Line, string Message)> problems, JsonArray mappings, string source)
    {
        var lines = problems.Take(MaxReported).Select(p => source + p.Line + Name(p.Path, mappings) + p.Message).ToList();
        if (problems.Count > MaxReported)
        {
            lines.Add($"… and {problems.Count - MaxReported} more");
        }
        return string.Join(Environment.NewLine, lines);
    }

    // "[2].Response.Body" -> "mapping [2] "title": Response.Body: "
    private static string Name(string path, JsonArray mappings)
    {
        var close = path.IndexOf(']', StringComparison.Ordinal);
        if (!path.StartsWith('[') || close < 0 || !int.TryParse(path[1..close], out var index))
        {
            return path.Length == 0 ? "" : $"{path}: ";
        }
        var title = index < mappings.Count && mappings[index]?["Title"] is JsonValue t && t.TryGetValue<string>(out var s) ? $" \"{s}\"" : "";
        var field = path[(close + 1)..].TrimStart('.');
        return $"mapping [{index}]{title}: " + (field.Length == 0 ? "" : $"{field}: ");
    }
}
