using System.Text.Json.Nodes;
using CanarySim.Core.Documents;
using CanarySim.Core.Rollout;
using Json.Schema;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// The published JSON Schema of a mapping file (<c>fixtures/wiremock/schema/mappings.schema.json</c>, embedded):
/// the subset of WireMock.Net's mapping JSON the harness accepts, applied with JsonSchema.Net. WireMock.Net
/// itself ignores unknown fields, so this is what refuses a misspelt one. Violations become (path, message)
/// pairs naming the field and what was expected (a subschema's <c>title</c> names the value).
/// </summary>
public static class MappingSchema
{
    private const string ResourceName = "CanarySim.Harness.WireMock.mappings.schema.json";
    private static readonly Lazy<string> SchemaText = new(ReadResource);
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(SchemaText.Value));
    private static readonly Lazy<JsonNode> SchemaNode = new(() => JsonNode.Parse(SchemaText.Value)!);

    /// <summary>The schema's text.</summary>
    public static string Text => SchemaText.Value;

    /// <summary>Every violation in <paramref name="mappings"/>: the field path (<c>[2].Response.StatusCode</c>) and what is wrong.</summary>
    public static IReadOnlyList<(string Path, string Message)> Check(JsonArray mappings)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        var results = Schema.Value.Evaluate(mappings, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }
        return (results.Details ?? []).Append(results)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.SelectMany(e => Explain(mappings, d.InstanceLocation.ToString(), d.EvaluationPath.ToString(), e.Key, e.Value)))
            .Distinct()
            .ToList();
    }

    private static IEnumerable<(string Path, string Message)> Explain(JsonArray root, string pointer, string evaluationPath, string keyword, string fallback)
    {
        var (path, node) = Locate(root, pointer);
        var schema = Resolve(evaluationPath) as JsonObject;
        var title = schema?["title"]?.GetValue<string>();
        switch (keyword)
        {
            case "" when evaluationPath.EndsWith("/additionalProperties", StringComparison.Ordinal):
                var owner = Resolve(evaluationPath[..^"/additionalProperties".Length]) as JsonObject;
                var allowed = (owner?["properties"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
                var key = node?.GetPropertyName() ?? path[(path.LastIndexOf('.') + 1)..];
                yield return (path, $"unknown field '{key}'" + FieldHint.For(key, allowed));
                break;
            case "required":
                foreach (var name in Names(schema?["required"]).Where(n => (node as JsonObject)?.ContainsKey(n) != true))
                {
                    yield return (Join(path, name), $"missing required field '{name}'");
                }
                break;
            case "dependentRequired":
                foreach (var (field, needs) in schema?["dependentRequired"] as JsonObject ?? [])
                {
                    if (node is JsonObject o && o.ContainsKey(field))
                    {
                        foreach (var name in Names(needs).Where(n => !o.ContainsKey(n)))
                        {
                            yield return (Join(path, field), $"'{field}' needs '{name}' beside it");
                        }
                    }
                }
                break;
            case "type":
                var types = schema?["type"] is JsonArray several ? Names(several) : [schema?["type"]?.GetValue<string>() ?? ""];
                yield return (path, $"expected {string.Join(" or ", types.Select(Noun))}, got {Describe(node)}");
                break;
            case "enum":
                var values = Names(schema?["enum"]).ToList();
                var hint = node is JsonValue v && v.TryGetValue<string>(out var text) ? FieldHint.For(text, values) : "";
                yield return (path, $"expected one of {string.Join(", ", values)}, got {Describe(node)}" + (hint.StartsWith(" (did", StringComparison.Ordinal) ? hint : ""));
                break;
            case "const":
                yield return (path, $"expected '{schema?["const"]}', got {Describe(node)}");
                break;
            case "pattern" or "minimum" or "maximum":
                var range = (schema?["minimum"], schema?["maximum"]) switch
                {
                    ({ } lo, { } hi) => $" between {lo} and {hi}",
                    ({ } lo, null) => $" of at least {lo}",
                    _ => "",
                };
                yield return (path, $"expected {title ?? "text matching " + schema?["pattern"]}{range}, got {Describe(node)}");
                break;
            case "minItems":
                yield return (path, $"expected at least {schema?["minItems"]} {title ?? "mapping"}(s)");
                break;
            case "minLength" or "minProperties":
                yield return (path, "expected a non-empty value");
                break;
            default:
                yield return (path, fallback);
                break;
        }
    }

    private static IEnumerable<string> Names(JsonNode? list) => (list as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "null");

    private static string Join(string path, string field) => JsonFieldLines.Join(path, field);

    private static string Noun(string type) => type switch
    {
        "string" => "text",
        "integer" => "a whole number",
        "boolean" => "true or false",
        "array" => "a list",
        "object" => "an object",
        _ => type,
    };

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v when v.TryGetValue<string>(out var s) => $"'{s}'",
        _ => node.ToJsonString(),
    };

    private static (string Path, JsonNode? Node) Locate(JsonArray root, string pointer) => JsonPointers.Locate(root, pointer);

    private static JsonNode? Resolve(string evaluationPath) => JsonPointers.Resolve(SchemaNode.Value, evaluationPath);

    private static string ReadResource()
    {
        using var stream = typeof(MappingSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
