namespace CanarySim.Gherkin;

/// <summary>What happened to one scenario.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Status"><see cref="StepStatus.Passed"/>, <see cref="StepStatus.Failed"/> or <see cref="StepStatus.Skipped"/> (ignored).</param>
/// <param name="Steps">Per-step outcomes in order.</param>
/// <param name="Duration">Wall time including hooks.</param>
/// <param name="Error">The failure message (file:line, step text and cause) when failed, or the ignore reason.</param>
/// <param name="Attachments">Evidence the bindings attached.</param>
public sealed record ScenarioResult(
    ScenarioCase Scenario,
    StepStatus Status,
    IReadOnlyList<StepResult> Steps,
    TimeSpan Duration,
    string? Error,
    IReadOnlyList<Attachment> Attachments)
{
    /// <summary>Whether the scenario passed.</summary>
    public bool Passed => Status == StepStatus.Passed;
}
