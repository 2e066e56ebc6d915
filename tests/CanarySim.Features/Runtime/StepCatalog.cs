using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace CanarySim.Features.Runtime;

/// <summary>
/// Writes the step catalog (<c>features/STEPS.md</c>): every step definition with its pattern,
/// parameters, an example and the binding's XML doc summary, grouped by binding class.
/// </summary>
public static class StepCatalog
{
    /// <summary>
    /// Renders the catalog of <paramref name="steps"/>; <paramref name="xmlDocPath"/> is the bindings' XML
    /// documentation file (optional). The example of a step is its first use in <paramref name="features"/>
    /// (in path order) when it has one, else a sentence generated from the pattern.
    /// </summary>
    public static string Generate(IReadOnlyList<StepBinding> steps, string? xmlDocPath, string regenerateCommand, IEnumerable<FeatureDocument>? features = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var used = (features ?? []).OrderBy(f => f.Path, StringComparer.Ordinal)
            .SelectMany(f => f.PickleList).SelectMany(p => p.Steps)
            .Select(s => (Kind: Kind(s.Type), s.Text, Table: s.Argument?.DataTable)).ToList();
        var docs = LoadDocs(xmlDocPath);
        var md = new StringBuilder();
        md.Append("# Step catalog\n\n")
          .Append("Generated from the step bindings — do not edit by hand. Regenerate with:\n\n")
          .Append("```\n").Append(regenerateCommand).Append("\n```\n\n")
          .Append("Every step is a regular expression matched against the whole step text. `And`/`But` take the kind of the step before them.\n")
          .Append("Numbers use `.` as decimal point and may end in `%`; durations read `1600ms`, `30 s`, `5 min`, `48 hours`, `2 days`.\n\n");
        md.Append(StepDefaults.Markdown());
        foreach (var group in steps.GroupBy(s => s.Method.DeclaringType!))
        {
            md.Append("## ").Append(group.Key.Name).Append("\n\n");
            if (Summary(docs, "T:" + DocName(group.Key)) is { } typeDoc)
            {
                md.Append(typeDoc).Append("\n\n");
            }
            foreach (var step in group)
            {
                md.Append(Heading(step));
                if (Summary(docs, DocId(step.Method)) is { } doc)
                {
                    md.Append(doc).Append("\n\n");
                }
                var parameters = step.Method.GetParameters();
                if (parameters.Length > 0)
                {
                    md.Append("Parameters:\n");
                    foreach (var p in parameters)
                    {
                        md.Append("- `").Append(p.Name).Append("`: ").Append(StepText.Describe(p.ParameterType)).Append('\n');
                    }
                    md.Append('\n');
                }
                var usage = used.FirstOrDefault(u => u.Kind == step.Kind && step.Regex.IsMatch(u.Text));
                var example = usage.Text ?? StepExamples.For(step);
                md.Append("Example: ").Append(example is null ? "_(write one from the pattern)_" : Code($"{step.Kind} {example}")).Append("\n\n");
                if (usage.Table is { } table)
                {
                    md.Append("```gherkin\n");
                    foreach (var row in table.Rows.Take(3))
                    {
                        md.Append("| ").Append(string.Join(" | ", row.Cells.Select(c => c.Value))).Append(" |\n");
                    }
                    md.Append("```\n\n");
                }
            }
        }
        return md.ToString();
    }

    private static string Kind(Io.Cucumber.Messages.Types.PickleStepType type) => type switch
    {
        Io.Cucumber.Messages.Types.PickleStepType.ACTION => "When",
        Io.Cucumber.Messages.Types.PickleStepType.OUTCOME => "Then",
        _ => "Given",
    };

    /// <summary>A step's heading in the catalog: the readable pattern, then the exact regular expression.</summary>
    public static string Heading(StepBinding step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return $"### {step.Kind} {Code(step.ReadablePattern)}\n\nRegex: {Code(step.DisplayPattern)}\n\n";
    }

    private static string Code(string text) => text.Contains('`', StringComparison.Ordinal) ? $"`` {text} ``" : $"`{text}`";

    private static Dictionary<string, string> LoadDocs(string? path)
    {
        var docs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (path is null || !File.Exists(path))
        {
            return docs;
        }
        foreach (var member in XDocument.Load(path).Descendants("member"))
        {
            if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
            {
                docs[name] = string.Join(' ', string.Concat(summary.Nodes().Select(Flatten))
                    .Split(['\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
            }
        }
        return docs;
    }

    private static string Flatten(XNode node) => node switch
    {
        XText t => t.Value,
        XElement { Name.LocalName: "see" or "seealso" } e => "`" + (e.Attribute("cref")?.Value.Split(':', 2).Last().Split('.').Last() ?? e.Attribute("langword")?.Value ?? e.Value) + "`",
        XElement { Name.LocalName: "c" or "paramref" or "typeparamref" } e => "`" + (e.Attribute("name")?.Value ?? e.Value) + "`",
        XElement e => string.Concat(e.Nodes().Select(Flatten)),
        _ => "",
    };

    private static string? Summary(Dictionary<string, string> docs, string id) => docs.TryGetValue(id, out var s) ? s : null;

    private static string DocId(MethodInfo method)
    {
        var parameters = method.GetParameters();
        var id = $"M:{DocName(method.DeclaringType!)}.{method.Name}";
        return parameters.Length == 0 ? id : $"{id}({string.Join(',', parameters.Select(p => DocName(p.ParameterType)))})";
    }

    private static string DocName(Type type)
    {
        if (type.IsArray)
        {
            return DocName(type.GetElementType()!) + "[]";
        }
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition().FullName!;
            definition = definition[..definition.IndexOf('`', StringComparison.Ordinal)];
            return $"{definition.Replace('+', '.')}{{{string.Join(',', type.GetGenericArguments().Select(DocName))}}}";
        }
        return type.FullName!.Replace('+', '.');
    }
}
