namespace CanarySim.Gherkin;

/// <summary>What happened to one step.</summary>
/// <param name="Step">The step.</param>
/// <param name="Status">Its outcome.</param>
/// <param name="Duration">Time spent running it.</param>
/// <param name="Error">Why it failed / is undefined / is ambiguous.</param>
/// <param name="Binding">The matched binding method (<c>Class.Method</c>), when one matched.</param>
public sealed record StepResult(ScenarioStep Step, StepStatus Status, TimeSpan Duration, string? Error, string? Binding);
