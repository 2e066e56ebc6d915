using System.Reflection;
using System.Text.RegularExpressions;

namespace CanarySim.Features.Runtime;

/// <summary>One step definition of a <c>[Binding]</c> class, as the step catalog lists it.</summary>
/// <param name="Kind">Given, When or Then.</param>
/// <param name="Pattern">The regular expression as written on the attribute.</param>
/// <param name="Method">The binding method.</param>
public sealed record StepBinding(string Kind, string Pattern, MethodInfo Method)
{
    /// <summary>The anchored, compiled pattern.</summary>
    public Regex Regex { get; } = new($"^(?:{Pattern.TrimStart('^').TrimEnd('$')})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The pattern without its anchors.</summary>
    public string DisplayPattern => Pattern.TrimStart('^').TrimEnd('$');

    /// <summary>The pattern as the catalog's heading shows it (<see cref="StepPattern.Readable"/>).</summary>
    public string ReadablePattern => StepPattern.Readable(Pattern, [.. Method.GetParameters().Select(p => p.Name ?? "value")]);

    /// <summary>Every step definition in <paramref name="assembly"/>, by class name then declaration order.</summary>
    public static IReadOnlyList<StepBinding> All(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return [.. assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<BindingAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .OrderBy(m => m.MetadataToken)
                .SelectMany(m => m.GetCustomAttributes<StepDefinitionBaseAttribute>()
                    .SelectMany(a => a.Types.Select(kind => new StepBinding(kind.ToString(), a.Expression, m)))))];
    }
}
