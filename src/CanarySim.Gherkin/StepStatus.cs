namespace CanarySim.Gherkin;

/// <summary>Outcome of a step or scenario.</summary>
public enum StepStatus
{
    /// <summary>Ran and succeeded.</summary>
    Passed,

    /// <summary>Ran and threw (an assertion or any other error).</summary>
    Failed,

    /// <summary>Not run because an earlier step failed, or the scenario was ignored.</summary>
    Skipped,

    /// <summary>No step definition matches the step.</summary>
    Undefined,

    /// <summary>More than one step definition matches the step.</summary>
    Ambiguous,
}
