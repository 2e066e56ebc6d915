using System.Collections.Specialized;
using Io.Cucumber.Messages.Types;

namespace CanarySim.Features.Runtime;

/// <summary>
/// One runnable scenario: a pickle of a <see cref="FeatureDocument"/> (a plain scenario or one row of
/// a Scenario Outline). It is the NUnit test case's argument and, while it runs, is injectable into
/// step bindings (evidence file names, the feature's title).
/// </summary>
public sealed class ScenarioCase
{
    /// <summary>Creates the case for pickle number <paramref name="index"/> of <paramref name="document"/>.</summary>
    public ScenarioCase(FeatureDocument document, int index)
    {
        ArgumentNullException.ThrowIfNull(document);
        Document = document;
        Index = index;
        Pickle = document.PickleList[index];
        var (scenario, rule) = document.ScenarioOf(Pickle);
        Rule = rule;
        var row = document.RowOf(Pickle);
        Row = row is { } r ? string.Join(", ", r.Row.Cells.Select(c => c.Value)) : null;
        Line = (int)(row?.Row.Location.Line ?? scenario.Location.Line);
        ScenarioTags = [.. scenario.Tags.Concat(row?.Examples.Tags ?? []).Select(t => t.Name.TrimStart('@'))];
        Arguments = new OrderedDictionary();
        if (row is { } withRow)
        {
            var header = withRow.Examples.TableHeader.Cells;
            for (var i = 0; i < header.Count; i++)
            {
                Arguments[header[i].Value] = withRow.Row.Cells[i].Value;
            }
        }
        Description = scenario.Description;
    }

    /// <summary>The feature file.</summary>
    public FeatureDocument Document { get; }

    /// <summary>Position of the pickle in the feature (what Reqnroll's formatters look it up by).</summary>
    public int Index { get; }

    /// <summary>The compiled scenario: steps with outline values substituted, tags inherited.</summary>
    public Pickle Pickle { get; }

    /// <summary>The rule holding the scenario, or null.</summary>
    public Rule? Rule { get; }

    /// <summary>The feature's title.</summary>
    public string FeatureName => Document.Name;

    /// <summary>The scenario title (outline placeholders substituted).</summary>
    public string Name => Pickle.Name;

    /// <summary>The outline row's values joined by <c>, </c>; null for a plain scenario.</summary>
    public string? Row { get; }

    /// <summary>The scenario's description text.</summary>
    public string Description { get; }

    /// <summary>Path of the feature file, relative to the repository.</summary>
    public string FilePath => Document.Path;

    /// <summary>Line of the scenario, or of its example row.</summary>
    public int Line { get; }

    /// <summary>Every tag in force (feature, rule, scenario, examples), without <c>@</c>.</summary>
    public IReadOnlyList<string> Tags => [.. Pickle.Tags.Select(t => t.Name.TrimStart('@'))];

    /// <summary>The scenario's and its examples' own tags, without <c>@</c>.</summary>
    public IReadOnlyList<string> ScenarioTags { get; }

    /// <summary>The outline row as column → value (empty for a plain scenario).</summary>
    public OrderedDictionary Arguments { get; }

    /// <summary>The test name: <c>Feature: Scenario [row]</c>.</summary>
    public string DisplayName => Row is null ? $"{FeatureName}: {Name}" : $"{FeatureName}: {Name} [{Row}]";

    /// <summary><c>file:line</c> of the scenario.</summary>
    public string Location => $"{FilePath}:{Line}";

    /// <summary>Whether the scenario carries <paramref name="tag"/> (with or without <c>@</c>, case-insensitive).</summary>
    public bool HasTag(string tag) => Tags.Contains(tag.TrimStart('@'), StringComparer.OrdinalIgnoreCase);

    /// <summary>What Reqnroll's runtime knows of the scenario.</summary>
    public ScenarioInfo ScenarioInfo()
    {
        var inherited = Tags.Except(ScenarioTags, StringComparer.Ordinal).ToArray();
        return new ScenarioInfo(Name, Description, [.. ScenarioTags], Arguments, inherited, Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>What Reqnroll's runtime knows of the rule, or null.</summary>
    public RuleInfo? RuleInfo() =>
        Rule is null ? null : new RuleInfo(Rule.Name, Rule.Description, [.. Rule.Tags.Select(t => t.Name.TrimStart('@'))]);

    /// <inheritdoc/>
    public override string ToString() => DisplayName;
}
