using Gherkin;
using Gherkin.Ast;
using Gherkin.Pickles;

namespace CanarySim.Gherkin;

/// <summary>Parses feature files with the Gherkin 5 parser and compiles them into <see cref="ScenarioCase"/>s (pickles).</summary>
public static class FeatureLoader
{
    /// <summary>Loads every <c>*.feature</c> under <paramref name="featuresDirectory"/> (recursively, ordered by path).</summary>
    /// <param name="featuresDirectory">The folder to search.</param>
    /// <param name="displayRoot">Paths are shown relative to this folder (e.g. the repository root); null shows full paths.</param>
    public static IReadOnlyList<FeatureFile> LoadDirectory(string featuresDirectory, string? displayRoot = null) =>
        Directory.EnumerateFiles(featuresDirectory, "*.feature", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => Parse(
                displayRoot is null ? path : Path.GetRelativePath(displayRoot, path).Replace('\\', '/'),
                File.ReadAllText(path)))
            .ToList();

    /// <summary>Parses one feature's text. A file that does not parse yields a <see cref="FeatureFile"/> with <see cref="FeatureFile.ParseError"/> set.</summary>
    public static FeatureFile Parse(string filePath, string text)
    {
        GherkinDocument document;
        List<Pickle> pickles;
        try
        {
            document = new Parser().Parse(new StringReader(text));
            if (document.Feature is null)
            {
                return Failed(filePath, $"{filePath}:1: the file has no 'Feature:' line");
            }
            pickles = new Compiler().Compile(document);
        }
        catch (CompositeParserException ex)
        {
            return Failed(filePath, string.Join(Environment.NewLine, ex.Errors.Select(e => Describe(filePath, e))));
        }
        catch (ParserException ex)
        {
            return Failed(filePath, Describe(filePath, ex));
        }

        var feature = document.Feature;
        var steps = IndexSteps(feature);
        var rows = IndexExampleRows(feature);
        var cases = new List<ScenarioCase>();
        foreach (var pickle in pickles)
        {
            var locations = pickle.Locations.ToList();
            var rowLine = locations.Count > 1 ? locations[0].Line : (int?)null;
            var scenarioSteps = pickle.Steps.Select(s => ToStep(filePath, s, steps)).ToList();
            cases.Add(new ScenarioCase(
                feature.Name.Trim(),
                pickle.Name.Trim(),
                rowLine is int r && rows.TryGetValue(r, out var values) ? values : null,
                filePath,
                locations[0].Line,
                pickle.Tags.Select(t => t.Name.TrimStart('@')).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
                scenarioSteps));
        }
        return new FeatureFile(filePath, feature.Name.Trim(), feature.Description?.Trim(), cases, null);
    }

    private static FeatureFile Failed(string filePath, string error) =>
        new(filePath, Path.GetFileNameWithoutExtension(filePath), null, [], error);

    private static string Describe(string filePath, ParserException e)
    {
        // Gherkin's messages start with "(line:column): "; we lead with file:line instead.
        var message = e.Message;
        if (message.StartsWith('(') && message.IndexOf("): ", StringComparison.Ordinal) is var end && end > 0)
        {
            message = message[(end + 3)..];
        }
        return e.Location is null ? $"{filePath}: {message}" : $"{filePath}:{e.Location.Line}:{e.Location.Column}: {message}";
    }

    private static ScenarioStep ToStep(string filePath, PickleStep step, Dictionary<int, (StepKind Kind, string Keyword)> index)
    {
        var line = step.Locations.Last().Line;
        var (kind, keyword) = index.TryGetValue(line, out var k) ? k : (StepKind.Given, "* ");
        DataTable? table = null;
        string? docString = null;
        foreach (var argument in step.Arguments)
        {
            switch (argument)
            {
                case PickleTable t:
                    var all = t.Rows.ToList();
                    table = new DataTable(
                        all[0].Cells.Select(c => c.Value).ToList(),
                        all.Skip(1).Select(r => (IReadOnlyList<string>)r.Cells.Select(c => c.Value).ToList()),
                        all.Skip(1).Select(r => r.Cells.FirstOrDefault()?.Location.Line ?? 0).ToList(),
                        filePath);
                    break;
                case PickleString s:
                    docString = s.Content;
                    break;
            }
        }
        return new ScenarioStep(kind, keyword, step.Text, line, table, docString);
    }

    // Pickles drop keywords; And/But/* inherit the kind of the step before them, as in Reqnroll.
    private static Dictionary<int, (StepKind, string)> IndexSteps(Feature feature)
    {
        var index = new Dictionary<int, (StepKind, string)>();
        foreach (var child in feature.Children)
        {
            var previous = StepKind.Given;
            foreach (var step in child.Steps)
            {
                var word = step.Keyword.Trim();
                var kind = word switch
                {
                    "Given" => StepKind.Given,
                    "When" => StepKind.When,
                    "Then" => StepKind.Then,
                    _ => previous,
                };
                previous = kind;
                index[step.Location.Line] = (kind, step.Keyword);
            }
        }
        return index;
    }

    private static Dictionary<int, string> IndexExampleRows(Feature feature)
    {
        var rows = new Dictionary<int, string>();
        foreach (var outline in feature.Children.OfType<ScenarioOutline>())
        {
            foreach (var examples in outline.Examples)
            {
                foreach (var row in examples.TableBody ?? [])
                {
                    rows[row.Location.Line] = string.Join(", ", row.Cells.Select(c => c.Value));
                }
            }
        }
        return rows;
    }
}
