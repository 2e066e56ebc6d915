using System.Text.Json.Nodes;
using CanarySim.Core.Documents;
using Json.Schema;

namespace CanarySim.Core.Rollout;

/// <summary>
/// The published JSON Schema of <c>canarysim.plan/v1</c> (<c>fixtures/plans/schema/plan.v1.schema.json</c>, embedded),
/// applied with JsonSchema.Net: the one definition of a plan file's shape — its fields, types, ranges and enumerations.
/// Violations become messages naming the field and what was expected (a subschema's <c>title</c> names the value,
/// e.g. "a percentage").
/// </summary>
public static class PlanSchema
{
    private const string ResourceName = "CanarySim.Core.Rollout.plan.v1.schema.json";
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(Text));
    private static readonly Lazy<JsonNode> SchemaNode = new(() => JsonNode.Parse(Text)!);

    /// <summary>The schema's text.</summary>
    public static string Text => EmbeddedText.Read(ResourceName);

    /// <summary>
    /// Every violation of the schema. YAML plain scalars written where another type is expected are first re-read
    /// as that type (<c>name: 2024</c> is text, <c>staged_rollback: yes</c> true, <c>requests: 1_000_000</c> a number).
    /// </summary>
    internal static List<PlanValidationError> Check(PlanDocument doc)
    {
        EvaluationResults results;
        var passes = 0;
        do
        {
            results = Schema.Value.Evaluate(doc.Root, new EvaluationOptions { OutputFormat = OutputFormat.List });
        }
        while (!results.IsValid && ++passes < 4 && Retyped(doc, results));
        if (results.IsValid)
        {
            return [];
        }
        var failures = (results.Details ?? []).Append(results)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => new Failure(d.InstanceLocation.ToString(), d.EvaluationPath.ToString(), e.Key, e.Value)))
            .ToList();
        // A oneOf branch whose own "type" does not fit the value does not apply: its other complaints are noise.
        var dead = failures.Where(f => f.Keyword == "type" && BranchOf(f.EvaluationPath) is { } b && IsBranchRoot(f.EvaluationPath, b))
            .Select(f => (f.InstanceLocation, Branch: BranchOf(f.EvaluationPath)!)).ToList();
        bool Dead(Failure f) => dead.Any(d => Under(f.InstanceLocation, d.InstanceLocation) && Under(f.EvaluationPath, d.Branch));
        bool Inside(Failure o, Failure f) => o != f && Under(o.InstanceLocation, f.InstanceLocation) && Under(o.EvaluationPath, f.EvaluationPath);
        var errors = new List<PlanValidationError>();
        foreach (var f in failures)
        {
            if (f.Keyword is "oneOf" or "anyOf")
            {
                // Every branch is dead: none has the value's type.
                if (!failures.Any(o => Inside(o, f) && !Dead(o)))
                {
                    var expected = failures.Where(o => o.Keyword == "type" && Inside(o, f))
                        .SelectMany(o => Types(Resolve(o.EvaluationPath))).Distinct().Select(Noun);
                    var (path, node) = Locate(doc, f.InstanceLocation);
                    errors.Add(Error(doc, path, $"expected {string.Join(" or ", expected)}, got {Describe(node)}"));
                }
                continue;
            }
            if (!Dead(f))
            {
                errors.AddRange(Explain(doc, f));
            }
        }
        return errors.DistinctBy(e => (e.Path, e.Message)).ToList();
    }

    private sealed record Failure(string InstanceLocation, string EvaluationPath, string Keyword, string Message);

    private static bool Retyped(PlanDocument doc, EvaluationResults results)
    {
        var changed = false;
        foreach (var d in (results.Details ?? []).Append(results))
        {
            if (d.Errors is null || !d.Errors.ContainsKey("type") || d.EvaluationPath.ToString().Contains("/oneOf/", StringComparison.Ordinal))
            {
                continue;
            }
            var (path, node) = Locate(doc, d.InstanceLocation.ToString());
            changed |= Types(Resolve(d.EvaluationPath.ToString())).Any(t => doc.Retype(path, node, t));
        }
        return changed;
    }

    private static string? BranchOf(string evaluationPath)
    {
        var at = evaluationPath.LastIndexOf("/oneOf/", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var end = evaluationPath.IndexOf('/', at + "/oneOf/".Length);
        return end < 0 ? evaluationPath : evaluationPath[..end];
    }

    private static bool Under(string pointer, string ancestor) =>
        pointer == ancestor || pointer.StartsWith(ancestor + "/", StringComparison.Ordinal);

    private static bool IsBranchRoot(string evaluationPath, string branch) => evaluationPath == branch || evaluationPath == branch + "/$ref";

    private static IEnumerable<PlanValidationError> Explain(PlanDocument doc, Failure f)
    {
        var (path, node) = Locate(doc, f.InstanceLocation);
        var schema = Resolve(f.EvaluationPath) as JsonObject;
        var title = schema?["title"]?.GetValue<string>();
        switch (f.Keyword)
        {
            case "" when f.EvaluationPath.EndsWith("/additionalProperties", StringComparison.Ordinal):
                var owner = Resolve(f.EvaluationPath[..^"/additionalProperties".Length]) as JsonObject;
                var allowed = (owner?["properties"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
                var key = node?.GetPropertyName() ?? path[(path.LastIndexOf('.') + 1)..];
                yield return Error(doc, path, $"unknown field '{key}'" + FieldHint.For(key, allowed));
                break;
            case "required":
                var present = node as JsonObject;
                foreach (var name in (schema?["required"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).Where(n => present?.ContainsKey(n) != true))
                {
                    yield return new PlanValidationError(doc.Source, doc.LineOf(path), path.Length == 0 ? name : $"{path}.{name}", $"missing required field '{name}'");
                }
                break;
            case "type":
                yield return Error(doc, path, $"expected {string.Join(" or ", Types(schema).Select(Noun))}, got {Describe(node)}");
                break;
            case "enum":
                var values = (schema?["enum"] as JsonArray ?? []).Select(v => v?.ToJsonString().Trim('"') ?? "null").ToList();
                var hint = node is JsonValue v && v.TryGetValue<string>(out var text) ? FieldHint.For(text, values) : "";
                yield return Error(doc, path, title is null
                    ? $"expected one of {string.Join(", ", values)}, got {Describe(node)}" + (hint.StartsWith(" (did", StringComparison.Ordinal) ? hint : "")
                    : $"expected {title}, got {Describe(node)}" + (hint.StartsWith(" (did", StringComparison.Ordinal) ? hint : ""));
                break;
            case "const":
                yield return Error(doc, path, $"expected '{schema?["const"]?.ToJsonString().Trim('"')}', got {Describe(node)}");
                break;
            case "pattern":
                yield return Error(doc, path, $"expected {title ?? "text matching " + schema?["pattern"]}, got {Describe(node)}");
                break;
            case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                yield return Error(doc, path, $"expected {title ?? "a number"} {Range(schema)}, got {Describe(node)}");
                break;
            case "minItems":
                yield return Error(doc, path, $"expected at least {schema?["minItems"]} {title ?? "item"}(s)");
                break;
            case "minLength":
                yield return Error(doc, path, "expected a non-empty value");
                break;
            default:
                yield return Error(doc, path, f.Message);
                break;
        }
    }

    private static string Range(JsonObject? schema)
    {
        var min = schema?["minimum"]?.ToJsonString();
        var max = schema?["maximum"]?.ToJsonString();
        var above = schema?["exclusiveMinimum"]?.ToJsonString();
        var below = schema?["exclusiveMaximum"]?.ToJsonString();
        return (min, max, above, below) switch
        {
            ({ } lo, { } hi, _, _) => $"between {lo} and {hi}",
            ({ } lo, null, _, _) => $"of at least {lo}",
            (null, { } hi, _, _) => $"of at most {hi}",
            (_, _, { } gt, _) => $"above {gt}",
            _ => $"below {below}",
        };
    }

    private static PlanValidationError Error(PlanDocument doc, string path, string message) => new(doc.Source, doc.LineOf(path), path, message);

    private static IEnumerable<string> Types(JsonNode? schema) => (schema as JsonObject)?["type"] switch
    {
        JsonArray a => a.Select(t => t!.GetValue<string>()),
        JsonValue v => [v.GetValue<string>()],
        _ => [],
    };

    private static string Noun(string type) => type switch
    {
        "string" => "text",
        "number" => "a number",
        "integer" => "a whole number",
        "boolean" => "true or false",
        "array" => "a list",
        "object" => "a mapping",
        _ => type,
    };

    private static string Describe(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v when v.TryGetValue<string>(out var s) => $"'{s}'",
        _ => node.ToJsonString(),
    };

    /// <summary>The field path (<c>stages[1].percent</c>) and node at a JSON pointer into the plan.</summary>
    private static (string Path, JsonNode? Node) Locate(PlanDocument doc, string pointer) => JsonPointers.Locate(doc.Root, pointer);

    /// <summary>The subschema an evaluation path ends at, following local <c>$ref</c>s.</summary>
    private static JsonNode? Resolve(string evaluationPath) => JsonPointers.Resolve(SchemaNode.Value, evaluationPath);
}
