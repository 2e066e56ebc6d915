using System.Reflection;
using System.Text.Json;
using Json.Schema;

namespace CanarySim.Core.Detection;

/// <summary>
/// The published JSON Schema of <c>canarysim.policy/v2</c> (<c>fixtures/policies/schema/policy.v2.schema.json</c>,
/// embedded), applied with JsonSchema.Net 7.4.0: the one source of truth for what a policy file may hold.
/// </summary>
public static class PolicySchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(Resource("policy.v2.schema.json")));

    /// <summary>The schema's text.</summary>
    public static string Text => Resource("policy.v2.schema.json");

    /// <summary>The most specific violation as (JSON pointer, keyword, message), or null when <paramref name="policy"/> is valid.</summary>
    public static (string Pointer, string Keyword, string Message)? FirstViolation(JsonElement policy)
    {
        var results = Schema.Value.Evaluate(policy, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return null;
        }
        var failures = (results.Details ?? [])
            .Append(results)
            // An "if" that does not match is no error: it only picks the branch.
            .Where(d => d.Errors is { Count: > 0 } && !d.EvaluationPath.ToString().Contains("/if", StringComparison.Ordinal))
            .SelectMany(d => d.Errors!.Select(e => (Pointer: d.InstanceLocation.ToString(), Keyword: e.Key, Message: e.Value)))
            .ToList();
        if (failures.Count == 0)
        {
            return ("", "", "does not match the policy schema");
        }
        // The deepest location names the field; among equals, a keyword of the field itself beats a combinator's summary.
        return failures.OrderByDescending(f => f.Pointer.Count(ch => ch == '/')).ThenBy(f => f.Keyword is "anyOf" or "oneOf" or "else" ? 1 : 0).First();
    }

    internal static string Resource(string name) => EmbeddedText.Read($"CanarySim.Core.Detection.{name}");
}
