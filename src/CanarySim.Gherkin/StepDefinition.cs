using System.Reflection;
using System.Text.RegularExpressions;

namespace CanarySim.Gherkin;

/// <summary>One step definition found on a <see cref="BindingAttribute"/> class.</summary>
/// <param name="Kind">Given / When / Then.</param>
/// <param name="Pattern">The regular expression as written on the attribute.</param>
/// <param name="Method">The binding method.</param>
public sealed record StepDefinition(StepKind Kind, string Pattern, MethodInfo Method)
{
    /// <summary>The anchored, compiled pattern.</summary>
    public Regex Regex { get; } = new($"^(?:{Pattern.TrimStart('^').TrimEnd('$')})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary><c>Class.Method</c> of the binding.</summary>
    public string MethodName => $"{Method.DeclaringType?.Name}.{Method.Name}";

    /// <summary>The pattern without its anchors, for messages and the catalog.</summary>
    public string DisplayPattern => Pattern.TrimStart('^').TrimEnd('$');
}
