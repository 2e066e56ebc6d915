#pragma warning disable CA1813 // attributes are matched by type; sealed where possible
namespace CanarySim.Gherkin;

/// <summary>Marks a class holding step definitions and hooks (as Reqnroll's <c>[Binding]</c>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BindingAttribute : Attribute;

/// <summary>Base of the step attributes: a regular expression matched against the whole step text.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public abstract class StepDefinitionAttribute(string pattern) : Attribute
{
    /// <summary>The regular expression (anchored by the runner); capture groups become parameters.</summary>
    public string Pattern { get; } = pattern;
}

/// <summary>A Given step.</summary>
public sealed class GivenAttribute(string pattern) : StepDefinitionAttribute(pattern);

/// <summary>A When step.</summary>
public sealed class WhenAttribute(string pattern) : StepDefinitionAttribute(pattern);

/// <summary>A Then step.</summary>
public sealed class ThenAttribute(string pattern) : StepDefinitionAttribute(pattern);

/// <summary>Runs before each scenario (only for scenarios with one of <see cref="Tags"/> when given).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BeforeScenarioAttribute(params string[] tags) : Attribute
{
    /// <summary>Tags (without @) scoping the hook; empty means every scenario.</summary>
    public IReadOnlyList<string> Tags { get; } = tags;
}

/// <summary>Runs after each scenario, even when it failed (only for scenarios with one of <see cref="Tags"/> when given).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AfterScenarioAttribute(params string[] tags) : Attribute
{
    /// <summary>Tags (without @) scoping the hook; empty means every scenario.</summary>
    public IReadOnlyList<string> Tags { get; } = tags;
}
