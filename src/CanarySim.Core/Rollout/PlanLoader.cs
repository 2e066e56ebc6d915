namespace CanarySim.Core.Rollout;

/// <summary>
/// Loads a rollout plan from text: YAML (or JSON) → one JSON document with the line of every field → the published
/// schema (<see cref="PlanSchema"/>, <c>fixtures/plans/schema/plan.v1.schema.json</c>) → the typed
/// <see cref="RolloutPlan"/> → the rules the schema cannot state (<see cref="PlanValidator"/>: stages ramp up, unique
/// names, a rehearsal before 100 %, …). Every problem is reported at once (<see cref="PlanValidationException"/>), each
/// naming the source, line, field and what was expected; unknown fields are errors, so a typo never falls back to a
/// default. Core reads no files: callers pass the text.
/// </summary>
public static class PlanLoader
{
    /// <summary>Whether a path names a JSON plan (by extension); anything else is read as YAML.</summary>
    public static bool IsJson(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses and validates plan text.</summary>
    /// <param name="text">YAML or JSON text.</param>
    /// <param name="source">File name for messages (and the plan's <see cref="RolloutPlan.Source"/>).</param>
    /// <param name="json">True for JSON, false for YAML.</param>
    /// <exception cref="PlanValidationException">The text is not a valid plan.</exception>
    public static LoadedPlan Parse(string text, string source, bool json = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var doc = PlanDocument.Read(text, source, json);
        var errors = new List<PlanValidationError>(doc.Errors);
        errors.AddRange(PlanSchema.Check(doc));
        var binder = new PlanBinder(doc);
        var plan = binder.Bind();
        // One message per field: the schema's first, then the binder's, then the rules over the typed plan.
        var named = errors.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(binder.Errors.Where(e => named.Add(e.Path)));
        errors.AddRange(PlanValidator.Validate(plan, doc.Lines).Where(e => !named.Contains(e.Path)));
        if (errors.Count > 0)
        {
            throw new PlanValidationException(errors.OrderBy(e => e.Line).ToList());
        }
        return new LoadedPlan(plan, doc.Lines);
    }
}
