namespace CanarySim.Gherkin;

/// <summary>One step of a compiled scenario (Background steps included, outline values substituted).</summary>
/// <param name="Kind">Given / When / Then (And/But resolved).</param>
/// <param name="Keyword">The keyword as written (<c>And </c>, <c>Given </c>, …).</param>
/// <param name="Text">The step text without its keyword.</param>
/// <param name="Line">1-based line of the step in the feature file.</param>
/// <param name="Table">The step's data table, if any.</param>
/// <param name="DocString">The step's doc string, if any.</param>
public sealed record ScenarioStep(StepKind Kind, string Keyword, string Text, int Line, DataTable? Table, string? DocString);
