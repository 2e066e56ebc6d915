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
                yield return Error(doc, path, EnumMessage(schema, node));
                break;
            case "const":
                yield return Error(doc, path, $"expected '{schema?["const"]?.ToJsonString().Trim('"')}', got {Describe(node)}");
                break;
            case "pattern":
                yield return Error(doc, path, $"expected {title ?? "text matching " + schema?["pattern"]}, got {Describe(node)}");
                break;
            case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                yield return Error(doc, path, RangeMessage(schema, node));
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

    /// <summary>
    /// The schema's rule for one value of a plan built in code (such a plan never passes through the schema): its
    /// enumeration, its type (a whole number) and its range, with the message a plan file gets for the same value.
    /// </summary>
    /// <param name="field">The field, with <c>[]</c> for any item of a list: <c>traffic.v2.quality</c>, <c>stages[].percent</c>.</param>
    /// <param name="value">The value: a number, or text for a field that takes text.</param>
    /// <returns>The message, or null when the value obeys the rule.</returns>
    /// <exception cref="ArgumentException">The schema has no such field.</exception>
    public static string? Refuses(string field, object value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        ArgumentNullException.ThrowIfNull(value);
        var number = value is string ? (double?)null : Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        var schema = Branch(Field(field), number is null ? "string" : "number");
        JsonNode? node = number is { } n ? (double.IsFinite(n) ? JsonValue.Create(n) : null) : JsonValue.Create((string)value);
        if (number is { } d && !double.IsFinite(d))
        {
            return $"expected {schema["title"]?.GetValue<string>() ?? "a number"}, got {d.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => a is JsonValue v
                && (number is { } e ? v.TryGetValue<double>(out var listed) && listed == e : v.TryGetValue<string>(out var named) && named == (string)value)))
        {
            return EnumMessage(schema, node);
        }
        if (number is { } whole && Types(schema).SequenceEqual(new[] { "integer" }) && whole != Math.Floor(whole))
        {
            return $"expected a whole number, got {Describe(node)}";
        }
        return number is { } x && !InRange(schema, x) ? RangeMessage(schema, node) : null;
    }

    private static bool InRange(JsonObject schema, double x) =>
        !(schema["minimum"] is { } min && x < min.GetValue<double>())
        && !(schema["maximum"] is { } max && x > max.GetValue<double>())
        && !(schema["exclusiveMinimum"] is { } above && x <= above.GetValue<double>())
        && !(schema["exclusiveMaximum"] is { } below && x >= below.GetValue<double>());

    /// <summary>The subschema of a field path (<c>a.b[].c</c>), following local <c>$ref</c>s and the branch of a oneOf that has the field.</summary>
    private static JsonObject Field(string field)
    {
        var node = (JsonObject)SchemaNode.Value;
        foreach (var segment in field.Split('.'))
        {
            var list = segment.EndsWith("[]", StringComparison.Ordinal);
            var name = list ? segment[..^2] : segment;
            node = Pick(node, n => n["properties"]?[name] is not null, field);
            node = Deref(node["properties"]![name]!);
            if (list)
            {
                node = Deref(Pick(node, n => n["items"] is not null, field)["items"]!);
            }
        }
        return node;
    }

    private static JsonObject Branch(JsonObject schema, string type) =>
        schema["oneOf"] is JsonArray ? Pick(schema, n => Types(n).Contains(type) || (type == "number" && Types(n).Contains("integer")), type) : schema;

    private static JsonObject Pick(JsonObject schema, Func<JsonObject, bool> fits, string what)
    {
        if (fits(schema))
        {
            return schema;
        }
        var branches = (schema["oneOf"] ?? schema["anyOf"]) as JsonArray ?? [];
        return branches.Select(b => Deref(b!)).FirstOrDefault(fits) ?? throw new ArgumentException($"the plan schema has no field '{what}'", nameof(what));
    }

    private static JsonObject Deref(JsonNode node)
    {
        while (node is JsonObject o && o["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/$defs/", StringComparison.Ordinal))
        {
            node = SchemaNode.Value["$defs"]![reference["#/$defs/".Length..]]!;
        }
        return (JsonObject)node;
    }

    private static string EnumMessage(JsonObject? schema, JsonNode? node)
    {
        var values = (schema?["enum"] as JsonArray ?? []).Select(v => v?.ToJsonString().Trim('"') ?? "null").ToList();
        var hint = node is JsonValue v && v.TryGetValue<string>(out var text) ? FieldHint.For(text, values) : "";
        var title = schema?["title"]?.GetValue<string>();
        return (title is null ? $"expected one of {string.Join(", ", values)}, got {Describe(node)}" : $"expected {title}, got {Describe(node)}")
            + (hint.StartsWith(" (did", StringComparison.Ordinal) ? hint : "");
    }

    private static string RangeMessage(JsonObject? schema, JsonNode? node) =>
        $"expected {schema?["title"]?.GetValue<string>() ?? "a number"} {Range(schema)}, got {Describe(node)}";

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
