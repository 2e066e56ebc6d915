namespace CanarySim.Gherkin;

/// <summary>The keyword type of a step; <c>And</c>/<c>But</c>/<c>*</c> take the type of the step before them.</summary>
public enum StepKind
{
    /// <summary>A precondition (<c>Given</c>).</summary>
    Given,

    /// <summary>An action (<c>When</c>).</summary>
    When,

    /// <summary>An expected outcome (<c>Then</c>).</summary>
    Then,
}
