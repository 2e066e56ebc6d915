using System.Reflection;

namespace CanarySim.Gherkin;

/// <summary>
/// Every step definition, hook and argument transformation found on <see cref="BindingAttribute"/>
/// classes of the given assemblies; matches step text to definitions.
/// </summary>
public sealed class BindingRegistry
{
    private readonly List<StepDefinition> steps = [];
    private readonly List<(MethodInfo Method, IReadOnlyList<string> Tags, bool Before)> hooks = [];
    private readonly Dictionary<Type, MethodInfo> transformations = [];

    /// <summary>Scans <paramref name="assemblies"/> for binding classes.</summary>
    public BindingRegistry(params Assembly[] assemblies)
        : this(assemblies.SelectMany(SafeTypes))
    {
    }

    /// <summary>Uses the given binding classes (types without <see cref="BindingAttribute"/> are ignored).</summary>
    public BindingRegistry(IEnumerable<Type> types)
    {
        var bindingTypes = types.Where(t => t.IsClass && t.GetCustomAttribute<BindingAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in bindingTypes)
        {
            BindingTypes.Add(type);
            const BindingFlags Flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var method in type.GetMethods(Flags).OrderBy(m => m.MetadataToken))
            {
                foreach (var attribute in method.GetCustomAttributes<StepDefinitionAttribute>())
                {
                    var kind = attribute switch
                    {
                        GivenAttribute => StepKind.Given,
                        WhenAttribute => StepKind.When,
                        _ => StepKind.Then,
                    };
                    steps.Add(new StepDefinition(kind, attribute.Pattern, method));
                }
                if (method.GetCustomAttribute<BeforeScenarioAttribute>() is { } before)
                {
                    hooks.Add((method, before.Tags, true));
                }
                if (method.GetCustomAttribute<AfterScenarioAttribute>() is { } after)
                {
                    hooks.Add((method, after.Tags, false));
                }
                if (method.GetCustomAttribute<StepArgumentTransformationAttribute>() is not null)
                {
                    var parameters = method.GetParameters();
                    if (parameters.Length != 1 || parameters[0].ParameterType != typeof(string) || method.ReturnType == typeof(void))
                    {
                        throw new InvalidOperationException($"[StepArgumentTransformation] {type.Name}.{method.Name} must take one string and return a value");
                    }
                    transformations[method.ReturnType] = method;
                }
            }
        }
    }

    /// <summary>The binding classes found.</summary>
    public IList<Type> BindingTypes { get; } = [];

    /// <summary>Every step definition, in class-name then declaration order.</summary>
    public IReadOnlyList<StepDefinition> Steps => steps;

    /// <summary>Definitions of the step's kind whose pattern matches its whole text.</summary>
    public IReadOnlyList<(StepDefinition Definition, System.Text.RegularExpressions.Match Match)> FindMatches(StepKind kind, string text) =>
        steps.Where(s => s.Kind == kind)
            .Select(s => (Definition: s, Match: s.Regex.Match(text)))
            .Where(x => x.Match.Success)
            .ToList();

    /// <summary>The <paramref name="count"/> step patterns closest to <paramref name="text"/> by edit distance (any kind).</summary>
    public IReadOnlyList<StepDefinition> Closest(string text, int count = 3) =>
        steps.OrderBy(s => EditDistance.Between(text, s.DisplayPattern))
            .ThenBy(s => s.Pattern, StringComparer.Ordinal)
            .Take(count)
            .ToList();

    internal IEnumerable<MethodInfo> Hooks(bool before, ScenarioCase scenario) =>
        hooks.Where(h => h.Before == before && (h.Tags.Count == 0 || h.Tags.Any(scenario.HasTag)))
            .Select(h => h.Method);

    internal bool TryTransformation(Type type, out MethodInfo method) => transformations.TryGetValue(type, out method!);

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }
}
